import type { TaskSpec } from "../model/task.ts";
import { parseReference } from "../subst/reference.ts";
import { findExpressions } from "../subst/substitute.ts";

/**
 * Embedded specs may use a run's workspaces without declaring them (propagation): each
 * `$(workspaces.<name>...)` naming an available workspace becomes an implicit declaration.
 */
export function declareReferencedWorkspaces(
  spec: TaskSpec,
  available: readonly string[],
): TaskSpec {
  const declared = new Set((spec.workspaces ?? []).map((ws) => ws.name));
  const referenced = new Set<string>();
  for (const expr of findExpressions(JSON.stringify(spec))) {
    const segments = parseReference(expr)?.segments ?? [];
    if (segments[0] === "workspaces" && segments[1]) referenced.add(segments[1]);
  }
  const implicit = [...referenced].filter(
    (name) => !declared.has(name) && available.includes(name),
  );
  if (implicit.length === 0) return spec;
  return {
    ...spec,
    workspaces: [...(spec.workspaces ?? []), ...implicit.map((name) => ({ name }))],
  };
}

import { parseReference } from "../subst/reference.ts";
import { findExpressions } from "../subst/substitute.ts";

/** A `$(tasks.<task>.results.<result>...)` reference found in a pipeline task. */
export interface ResultReference {
  task: string;
  result: string;
}

/** Every task result reference in a value tree (params, when, matrix, embedded specs). */
export function findResultReferences(value: unknown): ResultReference[] {
  const refs: ResultReference[] = [];
  visitStrings(value, (text) => {
    for (const expr of findExpressions(text)) {
      const ref = parseReference(expr);
      const [root, task, kind, result] = ref?.segments ?? [];
      if (root === "tasks" && task && kind === "results" && result) refs.push({ task, result });
    }
  });
  return refs;
}

/** Names of tasks whose status a finally task reads (`$(tasks.<t>.status)`). */
export function findStatusReferences(value: unknown): string[] {
  const names: string[] = [];
  visitStrings(value, (text) => {
    for (const expr of findExpressions(text)) {
      const segments = parseReference(expr)?.segments ?? [];
      if (segments[0] === "tasks" && segments.length === 3 && segments[2] === "status") {
        names.push(segments[1] as string);
      }
    }
  });
  return names;
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === "string") visit(value);
  else if (Array.isArray(value)) for (const item of value) visitStrings(item, visit);
  else if (value && typeof value === "object") {
    for (const item of Object.values(value)) visitStrings(item, visit);
  }
}

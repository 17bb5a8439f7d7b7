import type { Catalog } from "../core/catalog.ts";
import { MalletError } from "../core/errors.ts";
import type { DocPath, LoadedDocument } from "../core/load/parse-yaml.ts";
import type { Ref } from "../core/model/common.ts";
import type { PipelineSpec } from "../core/model/pipeline.ts";
import type { StepActionSpec, TaskSpec } from "../core/model/task.ts";
import type { Vars } from "../core/subst/reference.ts";
import { lookupResolved } from "../resolve/lookup.ts";
import { type RefKind, ResolveError } from "../resolve/request-key.ts";

/**
 * Finds the Task a `taskRef` names: by name in the catalog, or through its resolver (remote
 * answers were fetched before the run). `vars` fill `$(params.x)` in resolver params.
 */
export function resolveTaskRef(
  ref: Ref,
  catalog: Catalog,
  doc: LoadedDocument,
  at: DocPath,
  vars?: Vars,
): { spec: TaskSpec; name: string } {
  if (ref.resolver) {
    const found = resolvedOrThrow(ref, "Task", catalog, doc, at, vars);
    if (found.kind === "Task") return { spec: found.spec, name: found.name };
  }
  const name = ref.name ?? "";
  const task = catalog.task(name);
  if (!task) {
    throw new MalletError(
      "UNKNOWN_REF",
      `Task "${name}" was not found in the input or --resources`,
      doc.locate([...at, "name"]),
    );
  }
  return { spec: task.spec, name };
}

/** Finds the Pipeline a `pipelineRef` names. */
export function resolvePipelineRef(
  ref: Ref,
  catalog: Catalog,
  doc: LoadedDocument,
  at: DocPath,
  vars?: Vars,
): { spec: PipelineSpec; name: string } {
  if (ref.resolver) {
    const found = resolvedOrThrow(ref, "Pipeline", catalog, doc, at, vars);
    if (found.kind === "Pipeline") return { spec: found.spec, name: found.name };
  }
  const name = ref.name ?? "";
  const pipeline = catalog.pipeline(name);
  if (!pipeline) {
    throw new MalletError(
      "UNKNOWN_REF",
      `Pipeline "${name}" was not found in the input or --resources`,
      doc.locate([...at, "name"]),
    );
  }
  return { spec: pipeline.spec, name };
}

/** Finds the StepAction a step's `ref` names; undefined when there is none. */
export function lookupStepAction(ref: Ref, catalog: Catalog): StepActionSpec | undefined {
  if (!ref.resolver) return catalog.stepAction(ref.name ?? "")?.spec;
  try {
    const found = lookupResolved(ref, "StepAction", catalog);
    return found.kind === "StepAction" ? found.spec : undefined;
  } catch (error) {
    if (error instanceof ResolveError) return undefined;
    throw error;
  }
}

function resolvedOrThrow(
  ref: Ref,
  kind: RefKind,
  catalog: Catalog,
  doc: LoadedDocument,
  at: DocPath,
  vars: Vars | undefined,
) {
  try {
    return lookupResolved(ref, kind, catalog, vars);
  } catch (error) {
    if (error instanceof ResolveError)
      throw new MalletError("RESOLUTION", error.message, doc.locate(at));
    throw error;
  }
}

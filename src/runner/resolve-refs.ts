import type { Catalog } from "../core/catalog.ts";
import { MalletError } from "../core/errors.ts";
import type { DocPath, LoadedDocument } from "../core/load/parse-yaml.ts";
import type { Ref } from "../core/model/common.ts";
import type { PipelineSpec } from "../core/model/pipeline.ts";
import type { TaskSpec } from "../core/model/task.ts";

/** Finds the Task a `taskRef` names; an unknown name is a user error at the ref's position. */
export function resolveTaskRef(
  ref: Ref,
  catalog: Catalog,
  doc: LoadedDocument,
  at: DocPath,
): { spec: TaskSpec; name: string } {
  rejectResolver(ref, doc, at);
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
): { spec: PipelineSpec; name: string } {
  rejectResolver(ref, doc, at);
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

// LIMITATION: remote resolvers (git, http, hub, bundles) are not implemented yet; a ref
// using one stops the run with this message. The cluster resolver reads the catalog.
function rejectResolver(ref: Ref, doc: LoadedDocument, at: DocPath): void {
  if (!ref.resolver || ref.resolver === "cluster") return;
  throw new MalletError(
    "RESOLUTION",
    `the ${ref.resolver} resolver is not supported yet`,
    doc.locate([...at, "resolver"]),
  );
}

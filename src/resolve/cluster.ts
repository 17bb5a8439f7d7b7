import type { Catalog, RefTarget } from "../core/catalog.ts";
import { paramOr, requiredParam, ResolveError, type ResolutionRequest } from "./request-key.ts";

/** What the cluster resolver looks up, from its params. */
export interface ClusterSource {
  kind: "Task" | "Pipeline" | "StepAction";
  name: string;
  /** Undefined when the params name none: then any document of that name answers. */
  namespace: string | undefined;
}

const KINDS: Record<string, ClusterSource["kind"]> = {
  task: "Task",
  pipeline: "Pipeline",
  stepaction: "StepAction",
};

/** Checks the params: `kind` (default `task`), `name`, an optional `namespace`. */
export function parseClusterParams(request: ResolutionRequest): ClusterSource {
  const kindParam = paramOr(request, "kind", "task");
  const kind = KINDS[kindParam.toLowerCase()];
  if (!kind)
    throw new ResolveError(`kind param must be task, pipeline or stepaction, not "${kindParam}"`);
  const name = requiredParam(request, "name");
  return { kind, name, namespace: request.params.namespace || undefined };
}

/**
 * Answers from the documents given to mallet and --resources, which stand in for the cluster.
 * A document that names no namespace is found from any; one that names one only from it.
 */
export function resolveCluster(request: ResolutionRequest, catalog: Catalog): RefTarget {
  const { kind, name, namespace } = parseClusterParams(request);
  const found =
    kind === "Task"
      ? catalog.task(name)
      : kind === "Pipeline"
        ? catalog.pipeline(name)
        : catalog.stepAction(name);
  if (!found) throw new ResolveError(`${kind} "${name}" is not in the input or --resources`);
  const own = found.metadata.namespace;
  if (namespace && own && own !== namespace)
    throw new ResolveError(`${kind} "${name}" is in namespace "${own}", not "${namespace}"`);
  return found;
}

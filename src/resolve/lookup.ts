import type { Catalog, RefTarget } from "../core/catalog.ts";
import type { Param, Ref } from "../core/model/common.ts";
import { paramVars } from "../core/subst/params.ts";
import type { Vars } from "../core/subst/reference.ts";
import { resolveCluster } from "./cluster.ts";
import {
  describeRequest,
  type RefKind,
  ResolveError,
  type ResolutionRequest,
  requestKey,
  requestOf,
} from "./request-key.ts";

/**
 * The document a resolver ref names: a cluster ref straight from the catalog, any other as
 * the pre-pass resolved it. With the ref's variables (a pipeline's params) the exact request
 * is looked up; without them, what the pre-pass answered for this very ref object.
 * Fails with a ResolveError that names the resolver and params.
 */
export function lookupResolved(ref: Ref, kind: RefKind, catalog: Catalog, vars?: Vars): RefTarget {
  const earlier = catalog.resolvedRef(ref);
  let request: ResolutionRequest;
  try {
    request = requestOrThrow(ref, vars);
  } catch (error) {
    if (earlier && !vars) return expectKind(earlier, kind);
    throw error;
  }
  try {
    const found =
      request.resolver === "cluster"
        ? resolveCluster(request, catalog)
        : (catalog.remote(requestKey(request)) ?? (vars ? undefined : earlier));
    if (!found) throw new ResolveError("was not resolved before the run started");
    return expectKind(found, kind);
  } catch (error) {
    if (error instanceof ResolveError)
      throw new ResolveError(`${describeRequest(request)}: ${error.message}`);
    throw error;
  }
}

/** The request of a ref, failing with the resolver's name when its params are unusable. */
export function requestOrThrow(ref: Ref, vars?: Vars): ResolutionRequest {
  try {
    return requestOf(ref, vars);
  } catch (error) {
    if (error instanceof ResolveError)
      throw new ResolveError(`${ref.resolver} resolver: ${error.message}`);
    throw error;
  }
}

/** Checks that a resolver answered the kind the ref stands for. */
export function expectKind(found: RefTarget, kind: RefKind): RefTarget {
  if (found.kind === kind) return found;
  throw new ResolveError(`answered a ${found.kind} "${found.name}" where a ${kind} is expected`);
}

/** A run's own params as variables, for `$(params.x)` in its taskRef or pipelineRef. */
export function runParamVars(params: readonly Param[] | undefined): Vars {
  return paramVars(new Map((params ?? []).map((param) => [param.name, param.value])));
}

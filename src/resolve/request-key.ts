import { createHash } from "node:crypto";
import type { Ref } from "../core/model/common.ts";
import type { Vars } from "../core/subst/reference.ts";
import { substituteValue } from "../core/subst/substitute.ts";

/** One resolution request, as Tekton's ResolutionRequest: a resolver and its string params. */
export interface ResolutionRequest {
  resolver: string;
  /** Params by name, in the order the ref gives them. */
  params: Readonly<Record<string, string>>;
}

/** What a ref points at, by where it stands: taskRef, pipelineRef or a step's ref. */
export type RefKind = "Task" | "Pipeline" | "StepAction";

/** A problem with one request; the caller adds the resolver, its params and a location. */
export class ResolveError extends Error {
  override readonly name = "ResolveError";

  /** `named`: the message already names the request (an error inside its answer). */
  constructor(
    message: string,
    readonly named = false,
  ) {
    super(message);
  }
}

// `cache` says how to use the cache, not what to fetch, so it is no part of the key.
const NOT_IN_KEY = new Set(["cache"]);

/**
 * The request a ref makes. `$(params.x)` in its params is replaced from `vars` (a pipeline's
 * params for its tasks' refs); a reference left over cannot be resolved before the run.
 */
export function requestOf(ref: Ref, vars: Vars = new Map()): ResolutionRequest {
  const resolver = ref.resolver ?? "";
  const params: Record<string, string> = {};
  for (const param of ref.params ?? []) {
    if (param.name in params) throw new ResolveError(`param "${param.name}" is given twice`);
    const value = substituteValue(param.value, vars);
    if (typeof value !== "string")
      throw new ResolveError(`param "${param.name}" must be a string, not an array or object`);
    // LIMITATION: only params known before the run (a pipeline's params) are substituted;
    // a ref naming a task's params or results stops the run with this message.
    if (value.includes("$("))
      throw new ResolveError(`param "${param.name}" refers to ${value}, unknown before the run`);
    params[param.name] = value;
  }
  return { resolver, params };
}

/** A stable text naming the exact request: the resolver and its params sorted by name. */
export function requestKey(request: ResolutionRequest): string {
  const query = Object.keys(request.params)
    .filter((name) => !NOT_IN_KEY.has(name))
    .sort()
    .map((name) => `${encodeURIComponent(name)}=${encodeURIComponent(request.params[name] ?? "")}`)
    .join("&");
  return `${request.resolver}?${query}`;
}

/** The request key hashed, for file names in the cache. */
export function requestHash(request: ResolutionRequest): string {
  return createHash("sha256").update(requestKey(request)).digest("hex");
}

/** How messages name a request: `git resolver (url=..., revision=main, pathInRepo=t.yaml)`. */
export function describeRequest(request: ResolutionRequest): string {
  const params = Object.entries(request.params).map(([name, value]) => `${name}=${value}`);
  return `${request.resolver} resolver (${params.join(", ")})`;
}

/** Reads a param, or its default when absent or empty. */
export function paramOr(request: ResolutionRequest, name: string, fallback: string): string {
  const value = request.params[name];
  return value === undefined || value === "" ? fallback : value;
}

/** Reads a required param, failing with Tekton's wording when it is missing. */
export function requiredParam(request: ResolutionRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined || value === "")
    throw new ResolveError(`missing required ${request.resolver} resolver param "${name}"`);
  return value;
}

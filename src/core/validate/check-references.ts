import type { Param, ParamSpec, ParamType } from "../model/common.ts";
import { paramType, valueType } from "../subst/params.ts";
import type { Scope } from "./diagnostic.ts";
import { scanRefs, type StringSite, type VarRef } from "./expressions.ts";

/** What a reference can know about a param: its type and, for objects, its keys. */
export interface ParamInfo {
  type: ParamType;
  keys: ReadonlySet<string> | undefined;
  /** Known from a given value, not a declaration: propagation merges such objects' keys. */
  given?: boolean;
}
export type ParamScope = ReadonlyMap<string, ParamInfo>;

/** The names a string may refer to; an absent set means "not checked here". */
export interface VarEnv {
  params?: ParamScope;
  workspaces?: ReadonlySet<string>;
  /** Task results, for `$(results.<name>.path)`. */
  results?: ReadonlySet<string>;
  /** Steps and their results (undefined when a step's results are unknown). */
  steps?: ReadonlyMap<string, ReadonlySet<string> | undefined>;
  /** Strings of a pipeline task (params, when, matrix): their prefix is checked. */
  pipeline?: boolean;
}

export function paramsFromSpecs(specs: readonly ParamSpec[] | undefined): Map<string, ParamInfo> {
  const scope = new Map<string, ParamInfo>();
  for (const spec of specs ?? []) {
    const keys = spec.properties ? new Set(Object.keys(spec.properties)) : undefined;
    scope.set(spec.name, { type: paramType(spec), keys });
  }
  return scope;
}

/** Params known only by a given value, as propagation makes them visible. */
export function paramsFromValues(params: readonly Param[] | undefined): Map<string, ParamInfo> {
  const scope = new Map<string, ParamInfo>();
  for (const param of params ?? []) {
    const type = valueType(param.value);
    const keys = type === "object" ? new Set(Object.keys(param.value)) : undefined;
    scope.set(param.name, { type, keys, given: true });
  }
  return scope;
}

/**
 * Merges scopes from outermost to innermost: an inner declaration wins, while an inner
 * object value adds its keys to an outer one, as Tekton propagates object params.
 */
export function mergeParams(...scopes: ParamScope[]): Map<string, ParamInfo> {
  const merged = new Map<string, ParamInfo>();
  for (const scope of scopes) {
    for (const [name, info] of scope) {
      const outerKeys = merged.get(name)?.keys;
      const keys =
        info.given && outerKeys && info.keys ? new Set([...outerKeys, ...info.keys]) : info.keys;
      merged.set(name, { ...info, keys });
    }
  }
  return merged;
}

const CONTEXT_KEYS: Record<string, readonly string[]> = {
  taskRun: ["name", "namespace", "uid"],
  task: ["name", "retry-count"],
  pipelineRun: ["name", "namespace", "uid"],
  pipeline: ["name"],
  pipelineTask: ["retries"],
};
const PIPELINE_PREFIXES = new Set([
  "params",
  "tasks",
  "finally",
  "context",
  "workspaces",
  "results",
]);
// Tekton rejects step result references in these fields: they are read before any step runs.
const NO_STEP_RESULTS = new Set(["name", "image", "script", "workingDir", "volumeMounts"]);

/** Checks every reference in the sites against what `env` declares. */
export function checkSites(sites: readonly StringSite[], env: VarEnv, scope: Scope): void {
  for (const site of sites) {
    for (const ref of scanRefs(site.text)) checkRef(site, ref, env, scope);
  }
}

function checkRef(site: StringSite, ref: VarRef, env: VarEnv, scope: Scope): void {
  if (env.pipeline && !PIPELINE_PREFIXES.has(ref.prefix)) {
    scope.report(
      "variable-prefix",
      site.path,
      `"${ref.raw}" is not a Tekton variable (params, tasks, finally, context, workspaces or results); for a shell variable write \${VAR}`,
    );
    return;
  }
  switch (ref.segments[0]) {
    case "params":
      if (env.params) checkParamRef(site, ref, env.params, scope);
      return;
    case "context":
      return checkContextRef(site, ref, scope);
    case "workspaces":
      return checkWorkspaceRef(site, ref, env, scope);
    case "results":
    case "step":
      return checkOwnResultRef(site, ref, env, scope);
    case "steps":
      if (ref.segments[2] === "results") checkStepResultRef(site, ref, env, scope);
  }
}

interface ParamLookup {
  name: string;
  info: ParamInfo | undefined;
  key: string | undefined;
}

function lookupParam(params: ParamScope, ref: VarRef): ParamLookup {
  const [, name = "", key] = ref.segments;
  const info = params.get(name);
  if (info && ref.segments.length <= 3) return { name, info, key };
  // Names may hold dots (`$(params.a.b)` for a param "a.b"), which Tekton substitutes too.
  const dotted = ref.segments.slice(1).join(".");
  return { name: info ? name : dotted, info: params.get(dotted), key: undefined };
}

function checkParamRef(site: StringSite, ref: VarRef, params: ParamScope, scope: Scope): void {
  const { name, info, key } = lookupParam(params, ref);
  if (!info) {
    const problem = params.has(name)
      ? "only one key may follow the param name"
      : `param "${name}" is not declared`;
    scope.report("param-undeclared", site.path, `"${ref.raw}": ${problem}`);
  } else if (info.type === "object") {
    checkObjectUse(site, ref, name, info, key, scope);
  } else if (info.type === "array" && typeof ref.index !== "number" && key === undefined) {
    checkArrayUse(site, ref, name, scope);
  }
}

function checkObjectUse(
  site: StringSite,
  ref: VarRef,
  name: string,
  info: ParamInfo,
  key: string | undefined,
  scope: Scope,
): void {
  if (key !== undefined) {
    if (!info.keys || info.keys.has(key)) return;
    const known = [...info.keys].join(", ") || "none";
    const message = `"${ref.raw}": object param "${name}" has no key "${key}" (keys: ${known})`;
    scope.report("object-key-unknown", site.path, message);
    return;
  }
  if (site.kind === "value" && site.text === ref.raw && ref.index === "*") return;
  scope.report(
    "object-whole-usage",
    site.path,
    `"${ref.raw}" uses all of object param "${name}" where a string is expected; use $(params.${name}.<key>)`,
  );
}

// A whole array fits only where an array goes: alone in an array item, or as `[*]` alone
// in the value of a param given to a Task.
function checkArrayUse(site: StringSite, ref: VarRef, name: string, scope: Scope): void {
  const isolated = site.text === ref.raw;
  if (site.kind === "item" && isolated) return;
  if (site.kind === "value" && isolated && ref.index === "*") return;
  const where =
    site.kind === "text"
      ? "a string field"
      : "an array item shared with other text (it must stand alone)";
  scope.report(
    "array-star-position",
    site.path,
    `"${ref.raw}" uses all of array param "${name}" in ${where}; use an index such as $(params.${name}[0])`,
  );
}

function checkContextRef(site: StringSite, ref: VarRef, scope: Scope): void {
  const [, group = "", key = "", ...extra] = ref.segments;
  const keys = CONTEXT_KEYS[group];
  if (!keys) {
    const groups = Object.keys(CONTEXT_KEYS).join(", ");
    scope.report(
      "context-unknown",
      site.path,
      `"${ref.raw}": no context "${group}" (known: ${groups})`,
    );
  } else if (!keys.includes(key) || extra.length > 0) {
    scope.report(
      "context-unknown",
      site.path,
      `"${ref.raw}": context.${group} has ${keys.map((k) => `"${k}"`).join(", ")} only`,
    );
  }
}

function checkWorkspaceRef(site: StringSite, ref: VarRef, env: VarEnv, scope: Scope): void {
  const name = ref.segments[1];
  if (!env.workspaces || name === undefined || env.workspaces.has(name)) return;
  scope.report(
    "workspace-undeclared",
    site.path,
    `"${ref.raw}": workspace "${name}" is not declared`,
  );
}

function checkOwnResultRef(site: StringSite, ref: VarRef, env: VarEnv, scope: Scope): void {
  const isStep = ref.segments[0] === "step";
  if (isStep && ref.segments[1] !== "results") return;
  const names = isStep ? site.own : env.results;
  const name = ref.segments[isStep ? 2 : 1];
  if (!names || name === undefined || names.has(name)) return;
  const owner = isStep ? "the step" : "the Task";
  scope.report(
    "result-undeclared",
    site.path,
    `"${ref.raw}": ${owner} declares no result "${name}"`,
  );
}

function checkStepResultRef(site: StringSite, ref: VarRef, env: VarEnv, scope: Scope): void {
  const [, step = "", , result = ""] = ref.segments;
  if (NO_STEP_RESULTS.has(site.field)) {
    scope.report(
      "step-result-usage",
      site.path,
      `"${ref.raw}": step results can be used in env, command and args only, not in ${site.field}`,
    );
  }
  if (!env.steps) return;
  if (!env.steps.has(step)) {
    scope.report("result-undeclared", site.path, `"${ref.raw}": there is no step named "${step}"`);
    return;
  }
  const results = env.steps.get(step);
  if (results && !results.has(result)) {
    scope.report(
      "result-undeclared",
      site.path,
      `"${ref.raw}": step "${step}" declares no result "${result}"`,
    );
  }
}

import type { Param, ParamSpec, ParamType, ParamValue } from "../model/common.ts";
import { parseReference, SubstitutionError, type Vars } from "./reference.ts";
import { findExpressions, substituteValue } from "./substitute.ts";

/** A problem with the params a run gives; the caller adds the location. */
export interface ParamProblem {
  code: "MISSING_PARAM" | "INVALID_SPEC";
  message: string;
}

/** The declared type of a param: explicit, else object with properties, else the default's. */
export function paramType(spec: ParamSpec): ParamType {
  if (spec.type) return spec.type;
  if (spec.properties) return "object";
  if (Array.isArray(spec.default)) return "array";
  if (spec.default !== undefined && typeof spec.default === "object") return "object";
  return "string";
}

export function valueType(value: ParamValue): ParamType {
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : "string";
}

/**
 * Resolves declared params from given values and defaults. Given values for undeclared
 * names are kept too (propagation into embedded specs). Defaults may reference other params.
 */
export function resolveParams(
  specs: readonly ParamSpec[],
  given: readonly Param[],
  extra: Vars = new Map(),
): { values: Map<string, ParamValue>; problems: ParamProblem[] } {
  const values = new Map<string, ParamValue>();
  const problems: ParamProblem[] = [];
  for (const param of given) values.set(param.name, param.value);

  const missing = specs.filter((spec) => !values.has(spec.name) && spec.default === undefined);
  if (missing.length > 0) {
    const names = missing.map((spec) => `"${spec.name}"`).join(", ");
    problems.push({ code: "MISSING_PARAM", message: `missing value for param ${names}` });
  }
  try {
    applyDefaults(specs, values, extra);
  } catch (error) {
    // A default indexing past another param's end: the run is invalid, not Mallet.
    if (!(error instanceof SubstitutionError)) throw error;
    problems.push({ code: "INVALID_SPEC", message: error.message });
    return { values, problems };
  }
  for (const spec of specs) checkType(spec, values.get(spec.name), problems);
  return { values, problems };
}

function applyDefaults(specs: readonly ParamSpec[], values: Map<string, ParamValue>, extra: Vars) {
  const scope = new Map<string, ParamValue>(extra);
  for (const [name, value] of values) scope.set(`params.${name}`, value);
  let pending = specs.filter((spec) => spec.default !== undefined);
  // A default may reference a param declared after it: settle the referenced ones first.
  while (pending.length > 0) {
    const names = new Set(pending.map((spec) => spec.name));
    const ready = pending.filter((spec) => !referencesOthers(spec, names));
    const batch = ready.length > 0 ? ready : pending; // a cycle stays unresolved
    for (const spec of batch) {
      const fallback = substituteValue(spec.default as ParamValue, scope);
      const merged = mergeObjectDefault(values.get(spec.name), fallback);
      if (merged === undefined) continue;
      values.set(spec.name, merged);
      scope.set(`params.${spec.name}`, merged);
    }
    pending = pending.filter((spec) => !batch.includes(spec));
  }
}

function referencesOthers(spec: ParamSpec, names: ReadonlySet<string>): boolean {
  const value = spec.default ?? "";
  const texts = typeof value === "string" ? [value] : Object.values(value);
  return texts.flatMap(findExpressions).some((expr) => {
    const [root, name] = parseReference(expr)?.segments ?? [];
    return root === "params" && name !== undefined && name !== spec.name && names.has(name);
  });
}

// Object params merge per key: given keys win, missing keys come from the default.
function mergeObjectDefault(given: ParamValue | undefined, fallback: ParamValue) {
  if (given === undefined) return fallback;
  // A reference that named nothing (such as `$(params.s[*])` on a string) falls back.
  if (typeof given === "string" && given.includes("$(") && valueType(fallback) !== "string") {
    return fallback;
  }
  const both = valueType(given) === "object" && valueType(fallback) === "object";
  if (!both) return undefined;
  return { ...(fallback as Record<string, string>), ...(given as Record<string, string>) };
}

function checkType(spec: ParamSpec, value: ParamValue | undefined, problems: ParamProblem[]) {
  if (value === undefined) return;
  const expected = paramType(spec);
  // An unresolved reference such as "$(params.x[*])" is typed when it is substituted.
  if (typeof value === "string" && value.includes("$(")) return;
  if (valueType(value) !== expected) {
    problems.push({
      code: "INVALID_SPEC",
      message: `param "${spec.name}" is declared ${expected} but got ${valueType(value)}`,
    });
    return;
  }
  if (spec.enum && typeof value === "string" && !spec.enum.includes(value)) {
    const allowed = spec.enum.join(", ");
    problems.push({
      code: "INVALID_SPEC",
      message: `param "${spec.name}" is "${value}", not one of ${allowed}`,
    });
  }
  if (expected === "object" && spec.properties) {
    const missingKeys = Object.keys(spec.properties).filter((key) => !(key in (value as object)));
    if (missingKeys.length > 0) {
      problems.push({
        code: "MISSING_PARAM",
        message: `object param "${spec.name}" misses keys ${missingKeys.join(", ")}`,
      });
    }
  }
}

/** Turns param values into substitution variables `params.<name>`. */
export function paramVars(values: ReadonlyMap<string, ParamValue>): Map<string, ParamValue> {
  const vars = new Map<string, ParamValue>();
  for (const [name, value] of values) vars.set(`params.${name}`, value);
  return vars;
}

import type { ParamValue, ResultSpec } from "../model/common.ts";
import type { ResultValue } from "../status.ts";
import { paramType } from "../subst/params.ts";

/** Tekton's default budget for all results of one TaskRun together. */
export const RESULTS_SIZE_LIMIT = 4096;
/** Tekton's message for results over the budget (its termination message limit). */
export const RESULTS_TOO_LARGE = `Termination message is above max allowed size ${RESULTS_SIZE_LIMIT}, caused by large task result.`;

export type ResultsOutcome =
  | { ok: true; results: ResultValue[] }
  | { ok: false; reason: string; message: string; results: ResultValue[] };

/**
 * Turns raw result files into typed values: strings verbatim, arrays and objects parsed
 * from JSON and checked against their declaration. Undeclared files are ignored.
 */
export function parseResults(
  declared: readonly ResultSpec[],
  raw: ReadonlyMap<string, string>,
): ResultsOutcome {
  const size = [...raw.values()].reduce((total, text) => total + Buffer.byteLength(text), 0);
  const results: ResultValue[] = [];
  const problems: string[] = [];
  for (const spec of declared) {
    const text = raw.get(spec.name);
    if (text === undefined) continue;
    const value = typedValue(spec, text);
    if (typeof value === "string" && paramType(spec) !== "string") problems.push(value);
    else results.push({ name: spec.name, value: value as ParamValue });
  }
  if (size > RESULTS_SIZE_LIMIT) {
    const message = RESULTS_TOO_LARGE;
    return { ok: false, reason: "TaskRunResultLargerThanAllowedLimit", message, results };
  }
  if (problems.length > 0) {
    const message = `Provided results don't match declared results; may be invalid JSON or missing result declaration: ${problems.join("; ")}`;
    return { ok: false, reason: "TaskRunValidationFailed", message, results };
  }
  return { ok: true, results };
}

// Returns the parsed value, or for a typed result that does not parse, a problem string.
function typedValue(spec: ResultSpec, text: string): ParamValue | string {
  const type = paramType({
    name: spec.name,
    ...(spec.type ? { type: spec.type } : {}),
    ...(spec.properties ? { properties: spec.properties } : {}),
  });
  if (type === "string") return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `"${spec.name}" is declared ${type} but is not valid JSON`;
  }
  if (type === "array") {
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === "string"))
      return parsed as string[];
    return `"${spec.name}" is declared array but is not an array of strings`;
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    const object = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    const missing = Object.keys(spec.properties ?? {}).filter((key) => !(key in object));
    if (missing.length === 0) return object;
    return `"${spec.name}" misses keys ${missing.join(", ")}`;
  }
  return `"${spec.name}" is declared object but is not a JSON object`;
}

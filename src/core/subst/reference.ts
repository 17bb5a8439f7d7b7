import type { ParamValue } from "../model/common.ts";

/** A parsed `$(...)` expression: dotted segments and an optional trailing index. */
export interface Reference {
  segments: string[];
  index: number | "*" | undefined;
}

/** Values visible to substitution, keyed by their canonical dotted name. */
export type Vars = ReadonlyMap<string, ParamValue>;

/** Raised when a reference is well-formed but cannot be honoured (Tekton fails the run). */
export class SubstitutionError extends Error {
  constructor(
    readonly reason: "ParamArrayIndexingInvalid",
    message: string,
  ) {
    super(message);
  }
}

const SEGMENT = /^(?:[A-Za-z0-9_-]+|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\])/;
const INDEX = /^\[(\d+|\*)\]$/;

/** Parses `params.x`, `params['x']`, `tasks.t.results.r[*]` and `inputs.params.x`. */
export function parseReference(expr: string): Reference | undefined {
  const segments: string[] = [];
  let rest = expr.trim();
  let index: Reference["index"];
  while (rest.length > 0) {
    if (rest.startsWith(".")) rest = rest.slice(1);
    const indexMatch = INDEX.exec(rest);
    if (indexMatch && segments.length > 0) {
      index = indexMatch[1] === "*" ? "*" : Number(indexMatch[1]);
      break;
    }
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    segments.push(match[1] ?? match[2] ?? match[0]);
    rest = rest.slice(match[0].length);
  }
  if (segments.length === 0) return undefined;
  if (segments[0] === "inputs" && segments[1] === "params") segments.shift();
  return { segments, index };
}

/** Looks a reference up; `undefined` means "unknown here", which Tekton leaves as written. */
export function lookupReference(vars: Vars, ref: Reference): ParamValue | undefined {
  const value = lookupSegments(vars, ref.segments);
  if (value === undefined || ref.index === undefined) return value;
  // `[*]` spreads arrays and objects; on a string it names nothing and stays as written.
  if (!Array.isArray(value))
    return ref.index === "*" && typeof value === "object" ? value : undefined;
  if (ref.index === "*") return value;
  const item = value[ref.index];
  if (item === undefined) {
    const name = ref.segments.join(".");
    throw new SubstitutionError(
      "ParamArrayIndexingInvalid",
      `index ${ref.index} is out of range for "${name}", which has ${value.length} items`,
    );
  }
  return item;
}

function lookupSegments(vars: Vars, segments: string[]): ParamValue | undefined {
  const whole = vars.get(segments.join("."));
  if (whole !== undefined) return whole;
  if (segments.length < 2) return undefined;
  const parent = vars.get(segments.slice(0, -1).join("."));
  if (parent === undefined || typeof parent === "string" || Array.isArray(parent)) return undefined;
  return parent[segments[segments.length - 1] as string];
}

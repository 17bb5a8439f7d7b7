import type { ParamValue } from "../model/common.ts";
import { lookupReference, parseReference, type Vars } from "./reference.ts";

// `$(` followed by anything without parentheses: `$((1+2))` in a shell script never matches.
const EXPRESSION = /\$\(([^()$]*)\)/g;
const WHOLE_EXPRESSION = /^\$\(([^()$]*)\)$/;

/** Replaces every resolvable `$(...)` in a string field; unknown ones stay as written. */
export function substituteString(text: string, vars: Vars): string {
  if (!text.includes("$(")) return text;
  return text.replace(EXPRESSION, (match, expr: string) => {
    const ref = parseReference(expr);
    if (!ref) return match;
    const value = lookupReference(vars, ref);
    return typeof value === "string" ? value : match;
  });
}

/** Substitutes an array field: a whole-element array reference expands into its items. */
export function substituteArray(items: readonly string[], vars: Vars): string[] {
  const out: string[] = [];
  for (const item of items) {
    const whole = resolveWhole(item, vars);
    if (Array.isArray(whole)) out.push(...whole);
    else out.push(substituteString(item, vars));
  }
  return out;
}

/** Substitutes a param value, keeping arrays and objects whole where the text is one reference. */
export function substituteValue(value: ParamValue, vars: Vars): ParamValue {
  if (Array.isArray(value)) return substituteArray(value, vars);
  if (typeof value === "object") {
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteString(item, vars);
    return out;
  }
  const whole = resolveWhole(value, vars);
  if (whole !== undefined && typeof whole !== "string") return whole;
  return substituteString(value, vars);
}

function resolveWhole(text: string, vars: Vars): ParamValue | undefined {
  const match = WHOLE_EXPRESSION.exec(text.trim());
  if (!match) return undefined;
  const ref = parseReference(match[1] as string);
  return ref ? lookupReference(vars, ref) : undefined;
}

/**
 * Substitutes through a whole structure: strings in place, string arrays with expansion.
 * Keys listed in `skip` (such as an embedded spec handled at another level) are kept as is.
 */
export function substituteDeep<T>(value: T, vars: Vars, skip: ReadonlySet<string> = EMPTY): T {
  return walk(value, vars, skip) as T;
}

const EMPTY: ReadonlySet<string> = new Set();

function walk(value: unknown, vars: Vars, skip: ReadonlySet<string>): unknown {
  if (typeof value === "string") return substituteString(value, vars);
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === "string")) return substituteArray(value, vars);
    return value.map((item) => walk(item, vars, skip));
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = skip.has(key) ? item : walk(item, vars, skip);
    }
    return out;
  }
  return value;
}

/** Every `$(...)` expression in a text, for finding references (result edges, validation). */
export function findExpressions(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].map((match) => match[1] as string);
}

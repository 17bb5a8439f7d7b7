import type { DocPath } from "../load/parse-yaml.ts";
import { parseReference } from "../subst/reference.ts";
import { findExpressions } from "../subst/substitute.ts";

/** One `$(...)` reference found in a string. */
export interface VarRef {
  /** The whole `$(...)` text. */
  raw: string;
  /** The first identifier as written (`inputs` for `$(inputs.params.x)`). */
  prefix: string;
  /** Dotted segments, with `inputs.params` folded into `params`. */
  segments: readonly string[];
  index: number | "*" | undefined;
}

const LEADING_IDENTIFIER = /^[A-Za-z0-9_-]+/;

// Several checks read the same strings (a script is scanned for params, results, context);
// parsing each distinct text once keeps long scripts cheap.
const scanned = new Map<string, readonly VarRef[]>();
const MAX_SCANNED = 10_000;

/** Every well-formed reference in a text; shell `$(cmd args)` is not one and is skipped. */
export function scanRefs(text: string): readonly VarRef[] {
  if (!text.includes("$(")) return [];
  const known = scanned.get(text);
  if (known) return known;
  if (scanned.size >= MAX_SCANNED) scanned.clear();
  const refs = parseRefs(text);
  scanned.set(text, refs);
  return refs;
}

function parseRefs(text: string): VarRef[] {
  const refs: VarRef[] = [];
  for (const expr of findExpressions(text)) {
    const parsed = parseReference(expr);
    if (!parsed) continue;
    const prefix = LEADING_IDENTIFIER.exec(expr.trim())?.[0] ?? "";
    refs.push({ raw: `$(${expr})`, prefix, segments: parsed.segments, index: parsed.index });
  }
  return refs;
}

/** Where a string sits decides which whole array and object references it may hold. */
export type SiteKind =
  /** A plain string field: only string values fit. */
  | "text"
  /** An element of an array field (command, args, array values): an array may fill it alone. */
  | "item"
  /** The string value of a given param: a whole array or object may fill it as `$(…[*])`. */
  | "value";

/** A string in a document that may hold references, with what it is. */
export interface StringSite {
  path: DocPath;
  text: string;
  kind: SiteKind;
  /** The container field it belongs to (`script`, `args`, `env`…), for field rules. */
  field: string;
  /** For a step's strings: the step's own result names (`$(step.results.x.path)`). */
  own?: ReadonlySet<string>;
}

/** Calls `visit` with the path of every string in a value tree that may hold a reference. */
export function walkReferenceStrings(
  value: unknown,
  path: DocPath,
  visit: (text: string, path: DocPath) => void,
): void {
  const stack = [...path];
  const walk = (node: unknown): void => {
    if (typeof node === "string") {
      if (node.includes("$(")) visit(node, [...stack]);
      return;
    }
    if (!node || typeof node !== "object") return;
    for (const [key, item] of Array.isArray(node) ? node.entries() : Object.entries(node)) {
      stack.push(key);
      walk(item);
      stack.pop();
    }
  };
  walk(value);
}

/** Builds sites for the strings that hold `$(`; the rest cannot hold references. */
export class SiteList {
  readonly sites: StringSite[] = [];

  add(
    text: string | undefined,
    path: DocPath,
    kind: SiteKind,
    field: string,
    own?: ReadonlySet<string>,
  ) {
    if (text === undefined || !text.includes("$(")) return;
    this.sites.push(own ? { path, text, kind, field, own } : { path, text, kind, field });
  }

  addItems(items: readonly string[] | undefined, path: DocPath, field: string) {
    items?.forEach((item, i) => this.add(item, [...path, i], "item", field));
  }

  /** A param value as given: string, array items or object values. */
  addValue(value: unknown, path: DocPath, field: string) {
    if (typeof value === "string") this.add(value, path, "value", field);
    else if (Array.isArray(value)) this.addItems(value as string[], path, field);
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        this.add(String(item), [...path, key], "text", field);
      }
    }
  }

  addDeep(value: unknown, path: DocPath, field: string) {
    walkReferenceStrings(value, path, (text, at) => this.add(text, at, "text", field));
  }
}

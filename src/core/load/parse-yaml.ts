import {
  isMap,
  isNode,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type ScalarTag,
} from "yaml";
import { MalletError, type SourceLocation } from "../errors.ts";
import { findDeepNesting, positionOf } from "./nesting-scan.ts";

/** A path into a document, as valibot and our own checks report it. */
export type DocPath = ReadonlyArray<string | number>;

/** One YAML document with its plain data and a way back to source positions. */
export interface LoadedDocument {
  file: string;
  /** 0-based position of the document within its file. */
  index: number;
  data: unknown;
  /** The location of the node at `path`, or of its closest existing ancestor. */
  locate(path: DocPath): SourceLocation;
}

// Kubernetes reads YAML 1.1, where a leading zero makes an integer octal: `defaultMode: 0400`
// is r-------- to kubectl, and must not become decimal 400 (YAML 1.2) here.
const OCTAL_INT: ScalarTag = {
  identify: () => false,
  default: true,
  tag: "tag:yaml.org,2002:int",
  test: /^0[0-7]+$/,
  resolve: (text) => Number.parseInt(text, 8),
};

// Guards against "billion laughs" alias expansion; real Tekton YAML uses few aliases.
const MAX_ALIAS_COUNT = 1000;
const MAX_NESTING = 200;
// Text nested this deep is refused before parsing it, which would take seconds.
const MAX_TEXT_NESTING = 1000;
// YAML allows no control characters but tab and line breaks (kubectl refuses them too).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Parses multi-document YAML, keeping positions; a syntax error throws with its location. */
export function parseYamlDocuments(text: string, file: string): LoadedDocument[] {
  const control = CONTROL.exec(text);
  if (control) {
    const at = positionOf(text, control.index);
    throw new MalletError("YAML_SYNTAX", "file holds binary data, not YAML", { file, ...at });
  }
  const deep = findDeepNesting(text, MAX_TEXT_NESTING);
  if (deep !== undefined) {
    const at = positionOf(text, deep);
    const message = `document nests deeper than ${MAX_NESTING} levels`;
    throw new MalletError("YAML_SYNTAX", message, { file, ...at });
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: (tags) => [OCTAL_INT, ...tags],
  });
  const list = Array.isArray(docs) ? docs : [];
  const result: LoadedDocument[] = [];
  for (const [index, doc] of list.entries()) {
    throwFirstError(doc, file, lineCounter);
    const data = toPlain(doc, file, lineCounter);
    // An empty or comment-only document (as between two `---`) holds nothing.
    if (data === null || data === undefined) continue;
    const locate = (path: DocPath) => locateIn(doc, path, file, lineCounter);
    checkNesting(data, locate);
    result.push({ file, index, data, locate });
  }
  return result;
}

function throwFirstError(doc: Document.Parsed, file: string, lineCounter: LineCounter): void {
  const error = doc.errors[0];
  if (!error) return;
  const offset = error.pos[0];
  const { line, col } = lineCounter.linePos(offset);
  // The parser reports a stack overflow on very deep nesting as resource exhaustion.
  const message =
    error.code === "RESOURCE_EXHAUSTION"
      ? `document nests deeper than ${MAX_NESTING} levels`
      : `invalid YAML: ${error.message.split("\n")[0] ?? error.message}`;
  throw new MalletError("YAML_SYNTAX", message, { file, line, col });
}

function toPlain(doc: Document.Parsed, file: string, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const { line, col } = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MalletError("YAML_SYNTAX", `invalid YAML: ${reason}`, { file, line, col });
  }
}

// Aliases can make data deeper than its text (or circular), so the data is checked too.
function checkNesting(data: unknown, locate: (path: DocPath) => SourceLocation): void {
  const stack: Array<[unknown, DocPath]> = [[data, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, DocPath];
    if (path.length > MAX_NESTING) {
      const message = `document nests deeper than ${MAX_NESTING} levels`;
      throw new MalletError("YAML_SYNTAX", message, locate(path));
    }
    if (value && typeof value === "object") {
      const list = Array.isArray(value);
      for (const [key, child] of Object.entries(value))
        stack.push([child, [...path, list ? Number(key) : key]]);
    }
  }
}

function locateIn(
  doc: Document.Parsed,
  path: DocPath,
  file: string,
  lineCounter: LineCounter,
): SourceLocation {
  let node: unknown = doc.contents;
  let best = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  for (const key of path) {
    const next = childOf(node, key);
    if (next === undefined) break;
    node = next.node;
    best = next.offset;
  }
  const { line, col } = lineCounter.linePos(best);
  return { file, line, col };
}

// Returns the child node and the offset to report: a map entry points at its key,
// so "unknown field" and "bad value" errors land on the line a reader looks at.
function childOf(
  node: unknown,
  key: string | number,
): { node: unknown; offset: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isNode(item.key) && String(item.key.toJSON()) === String(key),
    );
    if (!pair || !isNode(pair.key)) return undefined;
    const offset = pair.key.range?.[0] ?? 0;
    return { node: pair.value, offset };
  }
  if (isSeq(node) && typeof key === "number") {
    const item = node.items[key];
    if (!isNode(item)) return undefined;
    return { node: item, offset: item.range?.[0] ?? 0 };
  }
  return undefined;
}

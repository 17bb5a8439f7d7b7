/**
 * A fast path for reading YAML: a native parser (Bun's) gives the data of a file in a
 * fraction of the time the `yaml` package takes, but without positions. Validation runs on
 * that data, and the file is parsed again with positions only when it has something to
 * report. The fast path is taken only where both parsers must agree; anything unusual
 * (anchors, merge keys, directives, a possible duplicate key) goes the precise way.
 */

/** Parses one YAML document to plain data; throws on a syntax error. */
export type FastParse = (text: string) => unknown;

const MAX_NESTING = 200;
const DOCUMENT_MARKER = /^---[ \t]*$/;
// Lines whose meaning the two parsers may not share: directives, markers with content,
// document ends. Outside block scalars also anchors and aliases, tags and merge keys.
const UNUSUAL_LINE = /^%|^---[ \t]*\S|^\.\.\./;
const UNUSUAL_NODE = /(?:^|[\s[{,])(?:[&*][\w-]|![!A-Za-z])|<<\s*:/;

/** One document of a fast-read stream: its data and the lines it spans, [first, end). */
export interface FastDocument {
  data: unknown;
  first: number;
  end: number;
}

/** The documents of a YAML stream, empty ones dropped; undefined when the fast path is unsafe. */
export function fastDocuments(text: string, parse: FastParse): FastDocument[] | undefined {
  if (/[\t\r]/.test(text) || needsPreciseParser(text)) return undefined;
  const lines = text.split("\n");
  const documents: FastDocument[] = [];
  let first = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !DOCUMENT_MARKER.test(lines[i] as string)) continue;
    let data: unknown;
    try {
      data = parse(lines.slice(first, i).join("\n"));
    } catch {
      return undefined;
    }
    if (data !== null && data !== undefined) {
      if (tooDeep(data)) return undefined;
      documents.push({ data, first, end: i });
    }
    first = i + 1;
  }
  return documents;
}

function tooDeep(data: unknown): boolean {
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_NESTING) return true;
    if (value && typeof value === "object") {
      for (const child of Object.values(value)) stack.push([child, depth + 1]);
    }
  }
  return false;
}

const KEY =
  /^((?:- +)*)("[^"]*"|'[^']*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]|$)/;
const BLOCK_SCALAR = /[|>][-+0-9]*[ \t]*(?:#.*)?$/;
const SCALAR_ITEM = /^(?:- +)+[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/**
 * True when the text holds what only the precise parser reads right: a key repeated in a
 * block mapping (which it rejects and a fast parser may silently merge), anchors, tags,
 * merge keys, directives. Errs towards true: a false alarm only costs time.
 * LIMITATION: a key repeated inside a flow mapping (`{a: 1, a: 2}`) is not seen.
 */
export function needsPreciseParser(text: string): boolean {
  const levels: Array<{ indent: number; keys: Set<string> }> = [];
  let scalarIndent = -1;
  for (const line of text.split("\n")) {
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (scalarIndent >= 0) {
      if (content === "" || indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    if (content === "" || content.startsWith("#")) continue;
    if (UNUSUAL_LINE.test(line) || UNUSUAL_NODE.test(line)) return true;
    if (line.startsWith("---")) {
      levels.length = 0;
      continue;
    }
    const match = KEY.exec(content);
    if (!match) {
      if (SCALAR_ITEM.test(content)) scalarIndent = indent;
      continue;
    }
    const dashes = match[1] ?? "";
    const column = indent + dashes.length;
    if (repeats(levels, column, dashes !== "", unquote(match[2] ?? ""))) return true;
    if (BLOCK_SCALAR.test(line)) scalarIndent = column;
  }
  return false;
}

// Tracks the keys of the open block mappings; true when `key` is already in its mapping.
function repeats(
  levels: Array<{ indent: number; keys: Set<string> }>,
  column: number,
  startsItem: boolean,
  key: string,
): boolean {
  while (levels.length > 0 && (levels.at(-1)?.indent ?? 0) > column) levels.pop();
  const top = levels.at(-1);
  if (!startsItem && top?.indent === column) {
    if (top.keys.has(key)) return true;
    top.keys.add(key);
    return false;
  }
  if (top?.indent === column) levels.pop();
  levels.push({ indent: column, keys: new Set([key]) });
  return false;
}

function unquote(key: string): string {
  return key.replace(/^(["'])(.*)\1$/, "$2");
}

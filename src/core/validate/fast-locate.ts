import type { DocPath } from "../load/parse-yaml.ts";

/**
 * Finds where a path points in block-style YAML by indentation alone, so a file read by the
 * fast parser rarely needs the precise one. Answers as the precise locator does: a map entry
 * at its key, a sequence item at its first character, the nearest existing ancestor when
 * the path goes further than the document. Gives up (undefined) where it cannot be sure,
 * such as inside flow collections `[…]` and `{…}`.
 */
export class FastLocator {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split("\n");
  }

  /** 1-based line and column of `path` in the document spanning lines [first, end). */
  locate(first: number, end: number, path: DocPath): { line: number; col: number } | undefined {
    let node = this.root(first, end);
    if (!node) return undefined;
    let best: Pos = node.pos;
    for (const segment of path) {
      const step = this.child(node, segment);
      if (step === "unsure") return undefined;
      if (!step) break;
      best = step.at;
      node = step.node;
    }
    return { line: best.line + 1, col: best.col + 1 };
  }

  private root(first: number, end: number): Node | undefined {
    for (let i = first; i < end; i++) {
      if (isContent(this.lines[i] as string)) {
        return this.nodeAt(i, indentOf(this.lines[i] as string), end);
      }
    }
    return undefined;
  }

  private child(node: Node, segment: string | number): Step | "unsure" | undefined {
    if (node.kind === "flow") return "unsure";
    if (node.kind === "map" && typeof segment === "string") return this.entry(node, segment);
    if (node.kind === "seq" && typeof segment === "number") return this.item(node, segment);
    return undefined;
  }

  /** The node whose first character is at (line, col); it runs until line `end`. */
  private nodeAt(line: number, col: number, end: number): Node {
    const text = (this.lines[line] as string).slice(col);
    const pos = { line, col };
    if (/^-(?:\s|$)/.test(text)) return { kind: "seq", pos, end };
    if (/^[[{]/.test(text)) return { kind: "flow", pos, end };
    if (KEY.test(text)) return { kind: "map", pos, end };
    return { kind: "scalar", pos, end };
  }

  private entry(node: Node, key: string): Step | "unsure" | undefined {
    const { line: start, col } = node.pos;
    for (let i = start; i < node.end; i++) {
      const line = this.lines[i] as string;
      if (i > start && (!isContent(line) || indentOf(line) !== col)) continue;
      const match = KEY.exec(line.slice(col));
      if (!match) continue;
      const raw = match[1] as string;
      if (/\\|''/.test(raw)) return "unsure";
      if (raw.replace(/^(["'])(.*)\1$/, "$2") !== key) continue;
      const value = this.entryValue(i, col, (match[0] as string).length, node.end);
      return value === "unsure" ? value : { at: { line: i, col }, node: value };
    }
    return undefined;
  }

  private entryValue(line: number, col: number, keyLength: number, end: number): Node | "unsure" {
    const stop = this.entryEnd(line, col, end);
    const rest = (this.lines[line] as string).slice(col + keyLength);
    const inline = rest.replace(/\s#.*$/, "").trim();
    if (inline !== "") {
      const offset = col + keyLength + rest.indexOf(inline);
      return /^[[{]/.test(inline)
        ? { kind: "flow", pos: { line, col: offset }, end: stop }
        : { kind: "scalar", pos: { line, col: offset }, end: stop };
    }
    for (let i = line + 1; i < stop; i++) {
      const text = this.lines[i] as string;
      if (isContent(text)) return this.nodeAt(i, indentOf(text), stop);
    }
    return { kind: "scalar", pos: { line, col }, end: stop };
  }

  // An entry runs until the next line indented no deeper than its key, except that a
  // sequence may sit at the key's own indentation (`key:` then `- item`).
  private entryEnd(line: number, col: number, end: number): number {
    let sameIndentSeq: boolean | undefined;
    for (let i = line + 1; i < end; i++) {
      const text = this.lines[i] as string;
      if (!isContent(text)) continue;
      const indent = indentOf(text);
      if (indent > col) {
        sameIndentSeq ??= false;
        continue;
      }
      const isItem = indent === col && /^-(?:\s|$)/.test(text.slice(col));
      sameIndentSeq ??= isItem;
      if (!(isItem && sameIndentSeq)) return i;
    }
    return end;
  }

  private item(node: Node, index: number): Step | undefined {
    const { line: start, col } = node.pos;
    let count = -1;
    for (let i = start; i < node.end; i++) {
      const line = this.lines[i] as string;
      if (i > start && (!isContent(line) || indentOf(line) !== col)) continue;
      if (!/^-(?:\s|$)/.test(line.slice(col))) continue;
      count++;
      if (count < index) continue;
      const stop = this.nextItem(i, col, node.end);
      const after = line.slice(col + 1);
      const gap = after.length - after.trimStart().length;
      if (after.trim() === "" || after.trim().startsWith("#")) {
        for (let j = i + 1; j < stop; j++) {
          const text = this.lines[j] as string;
          if (isContent(text)) {
            return {
              at: { line: j, col: indentOf(text) },
              node: this.nodeAt(j, indentOf(text), stop),
            };
          }
        }
        return { at: { line: i, col }, node: { kind: "scalar", pos: { line: i, col }, end: stop } };
      }
      const at = { line: i, col: col + 1 + gap };
      return { at, node: this.nodeAt(i, at.col, stop) };
    }
    return undefined;
  }

  private nextItem(line: number, col: number, end: number): number {
    for (let i = line + 1; i < end; i++) {
      const text = this.lines[i] as string;
      if (isContent(text) && indentOf(text) <= col) return i;
    }
    return end;
  }
}

interface Pos {
  line: number;
  col: number;
}

interface Node {
  kind: "map" | "seq" | "flow" | "scalar";
  pos: Pos;
  /** The line the node's extent stops before. */
  end: number;
}

interface Step {
  at: Pos;
  node: Node;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]|$)/;

function isContent(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed !== "" && !trimmed.startsWith("#");
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * A cheap look at YAML text before parsing it: the parser takes seconds on documents nested a
 * million levels deep, so such text is refused first. The estimate counts open flow brackets,
 * compact `- - -` sequences and rising indentation, skipping quoted scalars, comments and
 * block scalars (scripts), so it does not exceed the real depth by more than a level or two.
 */

/** Where `text` first nests deeper than `limit`, as an offset; undefined when it never does. */
export function findDeepNesting(text: string, limit: number): number | undefined {
  const scan = new Scanner(text, limit);
  return scan.run();
}

class Scanner {
  private pos = 0;
  private flow = 0;
  private readonly indents: number[] = [];
  /** Indentation of the line that opened a block scalar, while inside one. */
  private blockParent: number | undefined;

  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  run(): number | undefined {
    while (this.pos < this.text.length) {
      const end = lineEnd(this.text, this.pos);
      const found = this.line(this.pos, end);
      if (found !== undefined) return found;
      this.pos = end + 1;
    }
    return undefined;
  }

  private line(start: number, end: number): number | undefined {
    let i = start;
    while (i < end && this.text[i] === " ") i++;
    const indent = i - start;
    if (i === end || this.text[i] === "#") return undefined;
    if (this.blockParent !== undefined) {
      if (indent > this.blockParent) return undefined;
      this.blockParent = undefined;
    }
    let depth = this.flow === 0 ? this.blockDepth(indent) : this.indents.length;
    while (this.flow === 0 && i + 1 < end && "-?".includes(this.text[i] as string)) {
      if (this.text[i + 1] !== " ") break;
      if (++depth + this.flow > this.limit) return i;
      i += 2;
      while (i < end && this.text[i] === " ") i++;
    }
    if (depth + this.flow > this.limit) return i;
    return this.content(i, end, depth, indent);
  }

  private blockDepth(indent: number): number {
    while (this.indents.length > 0 && (this.indents.at(-1) as number) > indent) this.indents.pop();
    if (this.indents.length === 0 || (this.indents.at(-1) as number) < indent) {
      this.indents.push(indent);
    }
    return this.indents.length;
  }

  // Scans a line's content for brackets, quotes and comments; notes a block scalar header.
  private content(from: number, end: number, depth: number, indent: number): number | undefined {
    let i = from;
    let last = "";
    while (i < end) {
      const char = this.text[i] as string;
      const tokenStart = i === from || " [{,:".includes(this.text[i - 1] as string);
      if ((char === '"' || char === "'") && tokenStart) {
        i = skipQuoted(this.text, i);
        last = char;
        continue;
      }
      if (char === "#" && (i === from || this.text[i - 1] === " ")) break;
      if (char === "[" || char === "{") {
        this.flow++;
        if (depth + this.flow > this.limit) return i;
      } else if ((char === "]" || char === "}") && this.flow > 0) this.flow--;
      if (char !== " ") last = char;
      i++;
    }
    if (this.flow === 0 && /[|>][-+0-9]*$/.test(blockHeader(this.text, from, i, last))) {
      this.blockParent = indent;
    }
    return undefined;
  }
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end === -1 ? text.length : end;
}

// The end of a line's content before a comment, to see whether it opens a block scalar.
function blockHeader(text: string, from: number, to: number, last: string): string {
  if (last === "" || last === '"' || last === "'") return "";
  return text.slice(from, to).trimEnd();
}

// Skips a quoted scalar, which may span lines; returns the offset after its closing quote.
function skipQuoted(text: string, open: number): number {
  const quote = text[open];
  let i = open + 1;
  while (i < text.length) {
    const char = text[i];
    if (quote === '"' && char === "\\") i += 2;
    else if (char === quote && quote === "'" && text[i + 1] === "'") i += 2;
    else if (char === quote) return i + 1;
    else i++;
  }
  return i;
}

/** The 1-based line and column of an offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

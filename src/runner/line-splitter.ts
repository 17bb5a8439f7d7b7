import { StringDecoder } from "node:string_decoder";

/** Longest line kept whole; a longer one (a step printing megabytes without a newline) is cut. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Splits a byte stream into lines as they complete; `flush` emits a trailing partial line.
 * Memory stays bounded by one line, however much a step prints: lines longer than
 * MAX_LINE_CHARS are emitted in pieces. A UTF-8 character split across chunks stays whole.
 */
export class LineSplitter {
  private pending = "";
  private readonly decoder = new StringDecoder("utf8");

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    const lines = text.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.emit(line);
    while (this.pending.length > MAX_LINE_CHARS) {
      this.onLine(this.pending.slice(0, MAX_LINE_CHARS));
      this.pending = this.pending.slice(MAX_LINE_CHARS);
    }
  }

  flush(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = "";
  }

  private emit(line: string): void {
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    for (let start = 0; start < text.length || start === 0; start += MAX_LINE_CHARS) {
      this.onLine(text.slice(start, start + MAX_LINE_CHARS));
    }
  }
}

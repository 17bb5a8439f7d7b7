/** Splits a byte stream into lines as they complete; `flush` emits a trailing partial line. */
export class LineSplitter {
  private pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + chunk.toString();
    const lines = text.split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  flush(): void {
    if (this.pending.length > 0) this.onLine(this.pending);
    this.pending = "";
  }
}

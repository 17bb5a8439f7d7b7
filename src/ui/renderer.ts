import type { RunEvent } from "../core/events.ts";

/** Turns run events into output; `close` runs once after the last event. */
export interface Renderer {
  handle(event: RunEvent): void;
  close(): Promise<void> | void;
}

/** Where renderers write: stdout for output, stderr for diagnostics. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

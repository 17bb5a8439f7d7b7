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

/**
 * stdout and stderr. A closed pipe (`mallet logs | head`) stops that stream's output and
 * nothing else: the run goes on and cleans up as usual.
 */
export const processOutput: Output = {
  out: writerFor(process.stdout),
  err: writerFor(process.stderr),
};

function writerFor(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (line) => {
    if (closed) return;
    try {
      stream.write(`${line}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
      closed = true;
    }
  };
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Output } from "../../src/ui/renderer.ts";
import type { SavedEvent } from "../../src/ui/replay.ts";

export const FIXTURES = join(import.meta.dir, "fixtures");

/**
 * A recorded event stream: the `events.jsonl` a real run saved. showcase: a matrix, a retry
 * that fails again, skips and a finally task; results: a passing pipeline with results;
 * taskrun: a standalone TaskRun.
 */
export function loadEvents(name: "showcase" | "results" | "taskrun"): SavedEvent[] {
  const text = readFileSync(join(FIXTURES, `${name}.jsonl`), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SavedEvent);
}

/** An Output that keeps what renderers write. */
export function captureOutput(): Output & {
  out: (line: string) => void;
  lines: string[];
  errors: string[];
} {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line) };
}

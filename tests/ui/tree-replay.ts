// Replays a recorded event stream through the tree renderer on this terminal, at up to
// 40 ms an event, then prints a marker: tests/ui/tree-renderer.test.ts runs it in tmux.
//   bun tests/ui/tree-replay.ts showcase [--verbose] [--until N]
// --until N stops after N events and leaves the tree running, to look at it mid-run.
import { processOutput } from "../../src/ui/renderer.ts";
import { TreeRenderer } from "../../src/ui/tree-renderer.ts";
import { loadEvents } from "./helpers.ts";

export const DONE_MARKER = "--- replay done ---";
const MAX_GAP_MS = 40;

const name = process.argv[2] as Parameters<typeof loadEvents>[0];
const untilFlag = process.argv.indexOf("--until");
const until = untilFlag > 0 ? Number(process.argv[untilFlag + 1]) : Number.POSITIVE_INFINITY;
const tree = new TreeRenderer(processOutput, {
  verbose: process.argv.includes("--verbose"),
  concurrency: 4,
});
let previous: number | undefined;
for (const { time, event } of loadEvents(name).slice(0, until)) {
  const at = Date.parse(time);
  const gap = previous === undefined ? 0 : Math.min(MAX_GAP_MS, at - previous);
  previous = at;
  await new Promise((resolve) => setTimeout(resolve, gap));
  tree.handle(event);
}
if (until !== Number.POSITIVE_INFINITY) await new Promise(() => {});
await tree.close();
process.stdout.write(`${DONE_MARKER}\n`);

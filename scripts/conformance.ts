// Runs every upstream Tekton example (except EXCLUDED.md) through mallet and prints one line per
// example, then `N passed, M failed`. Usage: bun scripts/conformance.ts [--jobs N] [-- extra args]
// MALLET_BIN=dist/mallet runs the compiled binary; extra args (e.g. --engine docker) go to `run`.
import { parseArgs } from "node:util";
import { type ExampleOutcome, listExamples, runExample } from "../tests/conformance/harness.ts";

const { values, positionals } = parseArgs({
  options: { jobs: { type: "string", default: "2" } },
  allowPositionals: true,
});
const jobs = Math.max(1, Number(values.jobs) || 2);
const queue = listExamples();
const outcomes: ExampleOutcome[] = [];

async function worker(): Promise<void> {
  for (let example = queue.shift(); example; example = queue.shift()) {
    const outcome = await runExample(example, positionals);
    outcomes.push(outcome);
    const mark = outcome.passed ? "PASS" : "FAIL";
    const why = outcome.passed ? "" : `  ${outcome.reason}`;
    console.log(`${mark} ${example} (${outcome.seconds.toFixed(1)}s)${why}`);
  }
}

await Promise.all(Array.from({ length: jobs }, worker));
const failed = outcomes.filter((outcome) => !outcome.passed);
for (const outcome of failed) console.log(`failed: ${outcome.example}: ${outcome.reason}`);
console.log(`${outcomes.length - failed.length} passed, ${failed.length} failed`);
process.exitCode = failed.length > 0 ? 1 : 0;

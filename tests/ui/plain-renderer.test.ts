import { describe, expect, test } from "bun:test";
import { PlainRenderer, type PlainOptions } from "../../src/ui/plain-renderer.ts";
import { replay } from "../../src/ui/replay.ts";
import { captureOutput, loadEvents } from "./helpers.ts";

async function render(name: Parameters<typeof loadEvents>[0], options: Partial<PlainOptions> = {}) {
  const output = captureOutput();
  await replay(
    loadEvents(name),
    (now) => new PlainRenderer(output, { timestamps: false, quiet: false, ...options, now }),
  );
  return output.lines;
}

describe("plain renderer on recorded runs", () => {
  test("a matrix, a retry that fails again, skips and a finally task", async () => {
    expect(await render("showcase")).toEqual([
      "PipelineRun showcase started",
      "[fetch] started",
      "[docs] skipped: When Expressions evaluated to false",
      "[fetch : clone] cloning repository",
      "[fetch : clone] checked out main",
      "[fetch] Succeeded in 0.7s",
      "[build[0]] started",
      "[build[1]] started",
      "[unit-test] started",
      "[unit-test : prepare] 3 tests collected",
      "[build[0] : compile] compiling for amd64",
      "[build[1] : compile] compiling for arm64",
      "[unit-test : test] test_parse ok",
      "[unit-test : test] test_render ok",
      "[unit-test : test] test_total FAILED: expected 5, got 6",
      "[unit-test : test] Error (exit code 1)",
      '[unit-test] Failed in 1.2s: "step-test" exited with code 1, retrying',
      "[unit-test] started (retry 1)",
      "[unit-test : prepare] 3 tests collected",
      "[build[0] : compile] built app-amd64",
      "[build[1] : compile] built app-arm64",
      "[build[0]] Succeeded in 2.0s",
      "[build[1]] Succeeded in 2.1s",
      "[unit-test : test] test_parse ok",
      "[unit-test : test] test_render ok",
      "[unit-test : test] test_total FAILED: expected 5, got 6",
      "[unit-test : test] Error (exit code 1)",
      '[unit-test] Failed in 1.2s: "step-test" exited with code 1',
      "[deploy] skipped: PipelineRun was stopping",
      "[report] started",
      "[report : notify] pipeline finished: Failed",
      "[report] Succeeded in 0.7s",
      "  fetch      Succeeded    0.7s",
      "  build[0]   Succeeded    2.0s",
      "  build[1]   Succeeded    2.1s",
      '  unit-test  Failed       1.2s  "step-test" exited with code 1',
      "  report     Succeeded    0.7s",
      "  docs       Skipped            When Expressions evaluated to false",
      "  deploy     Skipped            PipelineRun was stopping",
      "PipelineRun showcase Failed: Tasks Completed: 4 (Failed: 1, Cancelled 0), Skipped: 2",
    ]);
  });

  test("a passing pipeline with results", async () => {
    expect(await render("results")).toEqual([
      "PipelineRun sum-three-pipeline-run started",
      "[first-add] started",
      "[first-add : add] 12",
      "[first-add] Succeeded in 1.0s",
      "[second-add] started",
      "[second-add : add] 22",
      "[second-add] Succeeded in 1.0s",
      "  first-add   Succeeded    1.0s",
      "  second-add  Succeeded    1.0s",
      '  result sum: "22"',
      '  result partial-sum: "12"',
      '  result all-sum: "22-12"',
      "PipelineRun sum-three-pipeline-run Succeeded",
    ]);
  });

  test("--timestamps puts the time each line was printed in front of it", async () => {
    expect(await render("taskrun", { timestamps: true })).toEqual([
      "2026-12-03T17:49:22.530Z TaskRun print-date-2x96n started",
      "2026-12-03T17:49:22.530Z [print-date-2x96n] started",
      "2026-12-03T17:49:22.910Z [print-date-2x96n : print-date-unix-timestamp] 1796320162",
      "2026-12-03T17:49:23.155Z [print-date-2x96n : print-date-human-readable] Thu Dec  3 17:49:23 UTC 2026",
      "2026-12-03T17:49:23.437Z [print-date-2x96n] Succeeded in 0.9s",
      "2026-12-03T17:49:23.438Z   print-date-2x96n  Succeeded    0.9s",
      '2026-12-03T17:49:23.438Z   result current-date-unix-timestamp: "1796320162\\n"',
      '2026-12-03T17:49:23.438Z   result current-date-human-readable: "Thu Dec  3 17:49:23 UTC 2026\\n"',
      "2026-12-03T17:49:23.438Z TaskRun print-date-2x96n Succeeded",
    ]);
  });

  test("--quiet keeps failures, the failing step's last lines and the summary", async () => {
    expect(await render("showcase", { quiet: true })).toEqual([
      "[unit-test : test] test_parse ok",
      "[unit-test : test] test_render ok",
      "[unit-test : test] test_total FAILED: expected 5, got 6",
      "[unit-test : test] Error (exit code 1)",
      '[unit-test] Failed in 1.2s: "step-test" exited with code 1, retrying',
      "[unit-test : test] test_parse ok",
      "[unit-test : test] test_render ok",
      "[unit-test : test] test_total FAILED: expected 5, got 6",
      "[unit-test : test] Error (exit code 1)",
      '[unit-test] Failed in 1.2s: "step-test" exited with code 1',
      "  fetch      Succeeded    0.7s",
      "  build[0]   Succeeded    2.0s",
      "  build[1]   Succeeded    2.1s",
      '  unit-test  Failed       1.2s  "step-test" exited with code 1',
      "  report     Succeeded    0.7s",
      "  docs       Skipped            When Expressions evaluated to false",
      "  deploy     Skipped            PipelineRun was stopping",
      "PipelineRun showcase Failed: Tasks Completed: 4 (Failed: 1, Cancelled 0), Skipped: 2",
    ]);
  });

  test("no escape codes unless colour is on", async () => {
    const plain = await render("showcase");
    expect(plain.some((line) => line.includes("\u001b["))).toBe(false);
    const colored = await render("results", { color: true });
    expect(colored[1]).toBe("\u001b[2m[first-add]\u001b[22m started");
    expect(colored.at(-1)).toBe("\u001b[32mPipelineRun sum-three-pipeline-run Succeeded\u001b[39m");
  });
});

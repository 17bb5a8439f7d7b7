import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { HAVE_TMUX, TmuxSession } from "./tmux.ts";

const REPLAY = join(import.meta.dir, "tree-replay.ts");
const DONE = "--- replay done ---";
let session: TmuxSession | undefined;

function replayInTerminal(args: string): TmuxSession {
  session = new TmuxSession(`cd ${import.meta.dir} && ${process.execPath} ${REPLAY} ${args}`);
  return session;
}

// Spinner frames and running times change while the tree runs; the test reads past them.
function steady(lines: string[]): string[] {
  return lines.map((line) => line.replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, "⠿").replace(/\d+(\.\d)?s\b/g, "Ns"));
}

afterEach(() => {
  session?.kill();
  session = undefined;
});

describe.skipIf(!HAVE_TMUX)("tree renderer in a pseudo-terminal", () => {
  test("the final screen of a failed run: finished tasks collapsed, the failing step's last lines", async () => {
    const screen = await replayInTerminal("showcase").waitFor(DONE);
    expect(screen).toEqual([
      "✖ PipelineRun showcase Failed 3.9s",
      "  ✔ fetch 0.7s",
      "  ✔ build (matrix 2) 2.1s",
      '  ✖ unit-test (retry 1) Failed: "step-test" exited with code 1 1.2s',
      "    ✔ prepare 0.3s",
      "    ✖ test Error (exit code 1) 0.3s",
      "      › test_parse ok",
      "        test_render ok",
      "        test_total FAILED: expected 5, got 6",
      "    ↓ coverage skipped",
      "  ↓ docs skipped: When Expressions evaluated to false",
      "  ↓ deploy skipped: PipelineRun was stopping",
      "  ✔ report (finally) 0.7s",
      "PipelineRun showcase Failed: Tasks Completed: 4 (Failed: 1, Cancelled 0), Skipped: 2",
      DONE,
    ]);
  });

  test("mid-run: running with spinners and times, matrix children, a retry, waiting tasks", async () => {
    const tree = replayInTerminal("showcase --until 26");
    await tree.waitFor("[RETRY:1]");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(steady(tree.screen())).toEqual([
      "❯ PipelineRun showcase Ns",
      "  ✔ fetch Ns",
      "  ❯ build (matrix 0/2) Ns",
      "    ❯ build[0] Ns",
      "      ⠿ compile Ns",
      "        › compiling for amd64",
      "    ❯ build[1] Ns",
      "      ⠿ compile Ns",
      "        › compiling for arm64",
      "  ⠿ unit-test (retry 1) Ns [RETRY:1]",
      "    ⠿ prepare Ns",
      "    ◼ test",
      "    ◼ coverage",
      "  ↓ docs skipped: When Expressions evaluated to false",
      "  ◼ deploy",
      "  ◼ report (finally)",
    ]);
  });

  test("a passing run, then its results and outcome", async () => {
    const screen = await replayInTerminal("results").waitFor(DONE);
    expect(screen).toEqual([
      "✔ PipelineRun sum-three-pipeline-run 2.1s",
      "  ✔ first-add 1.0s",
      "  ✔ second-add 1.0s",
      '  result sum: "22"',
      '  result partial-sum: "12"',
      '  result all-sum: "22-12"',
      "PipelineRun sum-three-pipeline-run Succeeded",
      DONE,
    ]);
  });

  test("--verbose keeps every step's output in the tree", async () => {
    const screen = await replayInTerminal("showcase --verbose").waitFor(DONE);
    expect(screen.slice(0, 5)).toEqual([
      "✖ PipelineRun showcase Failed 3.9s",
      "  ✔ fetch 0.7s",
      "    ✔ clone 0.3s",
      "      › cloning repository",
      "      › checked out main",
    ]);
    expect(screen).toContain("      ✔ compile 1.5s");
    expect(screen).toContain("      › pipeline finished: Failed");
  });
});

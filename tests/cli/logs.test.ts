import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mallet } from "../helpers/mallet.ts";
import { FIXTURES } from "../ui/helpers.ts";

// One real run of the showcase pipeline (podman), saved in a state directory of its own.
const SHOWCASE = join(FIXTURES, "showcase.yaml");
let stateDir: string;
let live: Awaited<ReturnType<typeof mallet>>;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "mallet-logs-"));
  live = await mallet(["run", SHOWCASE, "-o", "plain", "--state-dir", stateDir]);
}, 120_000);

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("mallet logs", () => {
  test("shows the same lines as the live run did", async () => {
    expect(live.exitCode).toBe(1);
    const replayed = await mallet(["logs", "--state-dir", stateDir]);
    expect(replayed.exitCode).toBe(0);
    expect(replayed.stdout).toBe(live.stdout);
    expect(live.stdout).toContain("[build[1] : compile] built app-arm64\n");
  });

  test("-t shows one task's lines, a matrix child by its index", async () => {
    const replayed = await mallet(["logs", "showcase", "-t", "build[1]", "--state-dir", stateDir]);
    expect(replayed.stdout.split("\n")).toEqual([
      "[build[1]] started",
      "[build[1] : compile] compiling for arm64",
      "[build[1] : compile] built app-arm64",
      expect.stringMatching(/^\[build\[1\]\] Succeeded in \d+\.\ds$/),
      "",
    ]);
  });

  test("--step and -o json narrow it to one step's records", async () => {
    const replayed = await mallet([
      "logs",
      "-t",
      "unit-test",
      "-s",
      "test",
      "-o",
      "json",
      "--state-dir",
      stateDir,
    ]);
    const lines = replayed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.filter((record) => record.type === "log").map((record) => record.line)).toEqual([
      "test_parse ok",
      "test_render ok",
      "test_total FAILED: expected 5, got 6",
      "test_parse ok",
      "test_render ok",
      "test_total FAILED: expected 5, got 6",
    ]);
  });

  test("the run is saved with its YAML, logs and status; mallet runs lists it", async () => {
    const dir = join(stateDir, "runs", "showcase");
    expect(readdirSync(dir).sort()).toEqual(["events.jsonl", "logs", "run.yaml", "status.json"]);
    expect(readdirSync(join(dir, "logs")).sort()).toEqual([
      "build-0",
      "build-1",
      "fetch",
      "report",
      "unit-test",
    ]);
    const runs = await mallet(["runs", "--state-dir", stateDir]);
    expect(runs.stdout).toMatch(
      /^NAME +KIND +STATUS +STARTED +DURATION\nshowcase +PipelineRun +Failed +\d{4}-/,
    );
  });

  test("an unknown run is a clear error", async () => {
    const replayed = await mallet(["logs", "nope", "--state-dir", stateDir]);
    expect(replayed.exitCode).toBe(2);
    expect(replayed.stderr).toBe('mallet: no saved run "nope"; see mallet runs\n');
  });
});

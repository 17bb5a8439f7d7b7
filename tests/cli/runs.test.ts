import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prunePolicy } from "../../src/cli/runs.ts";
import { RunStore } from "../../src/runner/run-store.ts";
import {
  findSavedRun,
  listSavedRuns,
  pruneRuns,
  readSavedEvents,
  type SavedRun,
  selectRunsToPrune,
} from "../../src/runner/saved-runs.ts";
import { formatRunsTable } from "../../src/ui/runs-table.ts";
import { loadEvents } from "../ui/helpers.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function save(names: Array<Parameters<typeof loadEvents>[0]>): string {
  dir = mkdtempSync(join(tmpdir(), "mallet-runs-"));
  for (const name of names) {
    const events = loadEvents(name);
    let at = new Date(0);
    const store = new RunStore({ stateDir: dir, runYaml: () => `kind: ${name}\n`, now: () => at });
    for (const saved of events) {
      at = new Date(saved.time);
      store.handle(saved.event);
    }
    store.close();
  }
  return dir;
}

describe("RunStore", () => {
  test("saves run.yaml, events, each step's log and the status", () => {
    const root = join(save(["showcase"]), "runs", "showcase");
    expect(readFileSync(join(root, "run.yaml"), "utf8")).toBe("kind: showcase\n");
    expect(readFileSync(join(root, "logs/fetch/clone.log"), "utf8")).toBe(
      "cloning repository\nchecked out main\n",
    );
    expect(readFileSync(join(root, "logs/build-1/compile.log"), "utf8")).toBe(
      "compiling for arm64\nbuilt app-arm64\n",
    );
    expect(readFileSync(join(root, "logs/unit-test/test.log"), "utf8").split("\n")).toEqual([
      "test_parse ok",
      "test_render ok",
      "test_total FAILED: expected 5, got 6",
      "--- retry 1 ---",
      "test_parse ok",
      "test_render ok",
      "test_total FAILED: expected 5, got 6",
      "",
    ]);
    expect(existsSync(join(root, "logs/unit-test/coverage.log"))).toBe(false);
    const status = JSON.parse(readFileSync(join(root, "status.json"), "utf8"));
    expect(status.condition.reason).toBe("Failed");
    expect(readSavedEvents(findSavedRun(dir as string, "showcase"))).toEqual(
      loadEvents("showcase"),
    );
  });

  test("lists runs oldest first, finds one by name, prefix or as the latest", () => {
    const stateDir = save(["showcase", "results", "taskrun"]);
    expect(listSavedRuns(stateDir).map((run) => run.name)).toEqual([
      "showcase",
      "sum-three-pipeline-run",
      "print-date-2x96n",
    ]);
    expect(findSavedRun(stateDir, undefined).name).toBe("print-date-2x96n");
    expect(findSavedRun(stateDir, "sum").name).toBe("sum-three-pipeline-run");
    expect(() => findSavedRun(stateDir, "nope")).toThrow('no saved run "nope"; see mallet runs');
    expect(formatRunsTable(listSavedRuns(stateDir))).toEqual([
      "NAME                    KIND         STATUS     STARTED              DURATION",
      "showcase                PipelineRun  Failed     2026-12-03 17:49:04  3.9s",
      "sum-three-pipeline-run  PipelineRun  Succeeded  2026-12-03 17:49:18  2.1s",
      "print-date-2x96n        TaskRun      Succeeded  2026-12-03 17:49:22  0.9s",
    ]);
  });

  test("pruning removes what the policy selects", () => {
    const stateDir = save(["showcase", "results", "taskrun"]);
    expect(pruneRuns(stateDir, { keep: 1 })).toEqual(["sum-three-pipeline-run", "showcase"]);
    expect(listSavedRuns(stateDir).map((run) => run.name)).toEqual(["print-date-2x96n"]);
  });
});

describe("selectRunsToPrune", () => {
  const run = (name: string, startTime: string): SavedRun => ({
    name,
    dir: name,
    kind: "TaskRun",
    startTime,
    status: undefined,
  });
  const runs = [
    run("a", "2026-01-01T00:00:00Z"),
    run("b", "2026-01-05T00:00:00Z"),
    run("c", "2026-01-09T00:00:00Z"),
  ];
  const now = Date.parse("2026-01-10T00:00:00Z");
  const day = 86_400_000;
  const cases: Array<[string, Parameters<typeof selectRunsToPrune>[1], string[]]> = [
    ["keep the newest two", { keep: 2 }, ["a"]],
    ["keep none", { keep: 0 }, ["c", "b", "a"]],
    ["older than 3 days", { olderThanMs: 3 * day }, ["b", "a"]],
    ["either rule", { keep: 2, olderThanMs: 7 * day }, ["a"]],
    ["no rule, nothing", {}, []],
  ];
  test.each(cases)("%s", (_case, policy, removed) => {
    expect(selectRunsToPrune(runs, policy, now).map((item) => item.name)).toEqual(removed);
  });

  test("--keep and --older-than are parsed; days are allowed", () => {
    expect(prunePolicy("3", "7d")).toEqual({ keep: 3, olderThanMs: 7 * day });
    expect(prunePolicy(undefined, "12h")).toEqual({ olderThanMs: 12 * 3_600_000 });
    expect(() => prunePolicy(undefined, undefined)).toThrow("--prune needs --keep N");
    expect(() => prunePolicy("x", undefined)).toThrow('--keep must be a whole number, not "x"');
  });
});

describe("RunStore when the state directory cannot be written", () => {
  test("warns once and lets the run go on unsaved", () => {
    const warnings: string[] = [];
    const store = new RunStore({
      stateDir: "/proc/mallet-cannot-write",
      onError: (message) => warnings.push(message),
    });
    for (const saved of loadEvents("results")) store.handle(saved.event);
    store.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toStartWith("this run is not saved: ");
  });
});

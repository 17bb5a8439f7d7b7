import { afterEach, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportLines } from "../../src/cli/prune.ts";
import { pruneRuns } from "../../src/runner/prune.ts";
import { createRunDir, isRunAlive, listRunDirs } from "../../src/runner/run-dirs.ts";
import { FakeEngine } from "../helpers/fake-engine.ts";

let parent = "";
afterEach(() => rmSync(parent, { recursive: true, force: true }));
function tempParent(): string {
  parent = mkdtempSync(join(tmpdir(), "prune-test-"));
  return parent;
}

/** A run directory owned by a process that has exited. */
async function deadRunDir(dir: string, runId: string): Promise<string> {
  const child = spawn("true");
  await new Promise((done) => child.on("close", done));
  const path = join(dir, `mallet-${runId}-dead01`);
  mkdirSync(path);
  writeFileSync(join(path, "mallet.pid"), `${child.pid}\n`);
  return path;
}

test("a run directory names its owner, alive while this process runs", () => {
  const dir = tempParent();
  const path = createRunDir("0123abcd", dir);
  expect(listRunDirs(dir)).toEqual([{ runId: "0123abcd", path }]);
  expect(isRunAlive({ runId: "0123abcd", path })).toBe(true);
});

test("a directory whose owner exited, or that never got an owner, is stale", async () => {
  const dir = tempParent();
  const dead = await deadRunDir(dir, "00000001");
  const unclaimed = join(dir, "mallet-00000002-xyz");
  mkdirSync(unclaimed);
  expect(isRunAlive({ runId: "00000001", path: dead })).toBe(false);
  expect(isRunAlive({ runId: "00000002", path: unclaimed })).toBe(true);
  utimesSync(unclaimed, new Date(0), new Date(0));
  expect(isRunAlive({ runId: "00000002", path: unclaimed })).toBe(false);
});

test("other directories are not run directories", () => {
  const dir = tempParent();
  for (const name of ["mallet-test-abc", "mallet-fake-state-x", "mallet-0123abc-x", "other"])
    mkdirSync(join(dir, name));
  expect(listRunDirs(dir)).toEqual([]);
});

test("prune removes the objects and directory of dead runs and keeps live ones", async () => {
  const dir = tempParent();
  const dead = await deadRunDir(dir, "00000001");
  createRunDir("0000000f", dir);
  const engine = new FakeEngine();

  const report = await pruneRuns(engine, { tempDir: dir });

  expect(engine.trace()).toEqual(["removeLabelled mallet.run=00000001"]);
  expect(report).toEqual({
    runs: [{ runId: "00000001", objects: 0, dirs: [dead] }],
    live: ["0000000f"],
    unowned: 0,
  });
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/^mallet-0000000f-/)]);
});

test("prune --run takes one run, live or not; --all sweeps every labelled object", async () => {
  const dir = tempParent();
  const live = createRunDir("0000000f", dir);
  const engine = new FakeEngine();

  expect(await pruneRuns(engine, { tempDir: dir, runId: "0000000f" })).toEqual({
    runs: [{ runId: "0000000f", objects: 0, dirs: [live] }],
    live: [],
    unowned: 0,
  });
  await pruneRuns(engine, { tempDir: dir, all: true });
  expect(engine.trace()).toEqual([
    "removeLabelled mallet.run=0000000f",
    "removeLabelled mallet.run",
  ]);
});

test.each([
  [{ runs: [], live: [], unowned: 0 }, ["nothing to prune"]],
  [
    {
      runs: [{ runId: "00000001", objects: 3, dirs: ["/tmp/mallet-00000001-x"] }],
      live: ["0000000f"],
      unowned: 2,
    },
    [
      "run 00000001: removed 3 engine objects (pods, containers, volumes) and /tmp/mallet-00000001-x",
      "run 0000000f: still running, kept",
      "removed 2 engine objects (pods, containers, volumes) of other runs",
    ],
  ],
])("report %#", (report, lines) => {
  expect(reportLines(report)).toEqual(lines);
});

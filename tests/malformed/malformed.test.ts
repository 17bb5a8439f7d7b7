import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingEngine, removeShims } from "../helpers/engine-shim.ts";
import { mallet } from "../helpers/mallet.ts";

/**
 * Every malformed input in `cases/` is refused by `mallet run FILE` with exactly the message
 * and exit code in expectations.json: one line with file:line:col, no stack trace, and not
 * one container created.
 */
const CASES = join(import.meta.dir, "cases");
const expectations = JSON.parse(
  readFileSync(join(import.meta.dir, "expectations.json"), "utf8"),
) as Record<string, { exitCode: number; message: string }>;

const scratch = mkdtempSync(join(tmpdir(), "malformed-test-"));
const log = join(scratch, "engine.log");
const shim = recordingEngine(log);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  removeShims();
});

/** Runs `mallet run FILE` from `dir` with the recording engine; returns what the engine did. */
async function refuse(file: string, dir: string) {
  writeFileSync(log, "");
  const result = await mallet(["run", file], {
    cwd: dir,
    env: { PATH: `${shim}:${process.env.PATH}`, TMPDIR: scratch },
    status: false,
  });
  const commands = readFileSync(log, "utf8").split("\n").filter(Boolean);
  return {
    ...result,
    created: commands.filter((line) => /^(pod )?(create|run|start)\b/.test(line)),
  };
}

test("the corpus holds at least 40 malformed inputs", () => {
  expect(Object.keys(expectations).length).toBeGreaterThanOrEqual(40);
});

describe("malformed inputs", () => {
  for (const [file, expected] of Object.entries(expectations)) {
    test(file, async () => {
      const result = await refuse(file, CASES);
      expect(result.stderr).toBe(`mallet: ${expected.message}\n`);
      expect(result.exitCode).toBe(expected.exitCode);
      expect(result.created).toEqual([]);
    });
  }
});

describe("inputs too big to keep in the repository", () => {
  test("a file over 10 MiB is refused before it is parsed", async () => {
    const file = join(scratch, "huge.yaml");
    writeFileSync(file, `# ${"x".repeat(11 * 1024 * 1024)}\n`);
    const result = await refuse("huge.yaml", scratch);
    expect(result.stderr).toBe("mallet: huge.yaml:1:1: file is larger than 10 MiB\n");
    expect(result.exitCode).toBe(2);
  });

  test("endless input (/dev/zero) is refused after 10 MiB, not read forever", async () => {
    const result = await refuse("/dev/zero", scratch);
    expect(result.stderr).toBe("mallet: /dev/zero:1:1: file is larger than 10 MiB\n");
    expect(result.exitCode).toBe(2);
  });

  test("a million levels of nesting are refused at once, not after seconds of parsing", async () => {
    const file = join(scratch, "deep.yaml");
    writeFileSync(file, `spec: ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}\n`);
    const started = Date.now();
    const result = await refuse("deep.yaml", scratch);
    expect(result.stderr).toBe("mallet: deep.yaml:1:1006: document nests deeper than 200 levels\n");
    expect(result.exitCode).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("a hundred thousand documents load without hanging", async () => {
    const file = join(scratch, "many.yaml");
    writeFileSync(file, "---\na: 1\n".repeat(100_000));
    const result = await refuse("many.yaml", scratch);
    expect(result.stderr).toBe(
      "mallet: the input holds no TaskRun, PipelineRun, Pipeline or Task to run\n",
    );
    expect(result.exitCode).toBe(2);
  }, 30_000);
});

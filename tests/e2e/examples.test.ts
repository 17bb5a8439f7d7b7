import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMAGE_MAP, mallet, ROOT, resultOf } from "../helpers/mallet.ts";
import { once, resultsOf, skippedOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(120_000);
const example = (name: string) => join(ROOT, "examples", name);
const runExample = (name: string, ...flags: string[]) =>
  mallet(["run", example(name), "--image-map", IMAGE_MAP, ...flags]);

/** Copies the bundled Python project to a temporary directory the run may write to. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "mallet-hello-py-"));
  cpSync(example("hello-py"), dir, { recursive: true });
  return dir;
}

describe("examples/pipelinerun-build.yaml", () => {
  const run = once(() => runExample("pipelinerun-build.yaml"));

  test("succeeds with the pipeline's results", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    const results = resultsOf(result.statuses[0]);
    expect(results.files).toEqual(["README.md", "VERSION", "test_wordcount.py", "wordcount.py"]);
    expect(results.tests).toBe("3/3 passed");
    expect(results.artifact).toBe("dist/wordcount-1.4.0.tar.gz");
    expect(results.revision).toMatch(/^[0-9a-f]{12}$/);
    expect(results.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test("the three checks start after the fetch, and package after all three", async () => {
    const status = (await run()).statuses[0];
    const time = (task: string, which: "startTime" | "completionTime") =>
      Date.parse(taskRunOf(status, task)?.[which] ?? "");
    for (const check of ["unit-tests", "lint", "docs"]) {
      expect(time(check, "startTime")).toBeGreaterThanOrEqual(
        time("fetch-source", "completionTime"),
      );
      expect(time("package", "startTime")).toBeGreaterThanOrEqual(time(check, "completionTime"));
    }
  });

  test("finally reports the outcome", async () => {
    expect(resultOf((await run()).statuses[0], "summary", "line")).toBe(
      "wordcount 1.4.0: Succeeded",
    );
  });
});

describe("examples/build-and-test.yaml", () => {
  test("lints, tests and packages a project from a host directory", async () => {
    const dir = copyProject();
    try {
      const result = await runExample("build-and-test.yaml", "-w", `name=source,path=${dir}`);
      expect(result.exitCode).toBe(0);
      const results = resultsOf(result.statuses[0]);
      expect(results.tests).toBe("4/4 passed");
      expect(results.artifact).toBe("dist/hello-py-0.3.1.tar.gz");
      const archive = readFileSync(join(dir, "dist/hello-py-0.3.1.tar.gz"));
      expect(results.digest).toBe(createHash("sha256").update(archive).digest("hex"));
      expect(resultOf(result.statuses[0], "report", "line")).toBe(
        "lint=Succeeded test=Succeeded build=Succeeded overall=Succeeded",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a failing test skips the build, and the report still runs", async () => {
    const dir = copyProject();
    writeFileSync(
      join(dir, "test_broken.py"),
      "import unittest\n\n\nclass Broken(unittest.TestCase):\n    def test_fails(self):\n        self.assertEqual(1, 2)\n",
    );
    try {
      const result = await runExample("build-and-test.yaml", "-w", `name=source,path=${dir}`);
      expect(result.exitCode).toBe(1);
      expect(resultOf(result.statuses[0], "test", "summary")).toBe("4/5 passed");
      expect(skippedOf(result.statuses[0])).toEqual({ build: "PipelineRun was stopping" });
      expect(resultOf(result.statuses[0], "report", "line")).toBe(
        "lint=Succeeded test=Failed build=None overall=Failed",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("examples/release-notes.yaml", () => {
  test("array and object results become notes, a version and counts", async () => {
    const result = await runExample("release-notes.yaml");
    expect(result.exitCode).toBe(0);
    expect(resultsOf(result.statuses[0])).toEqual({
      version: "v1.1.0",
      notes:
        "## mallet-demo\n### Features\n- add --json output\n- read several files\n### Fixes\n- count words split by tabs\n",
      counts: { commits: "4", features: "2", fixes: "1" },
    });
    expect(taskRunOf(result.statuses[0], "announce")?.condition.reason).toBe("Succeeded");
  });
});

describe("examples/matrix-versions.yaml", () => {
  test("one TaskRun per version, results gathered as an array", async () => {
    const result = await runExample("matrix-versions.yaml");
    expect(result.exitCode).toBe(0);
    expect(resultsOf(result.statuses[0])).toEqual({
      report:
        "3 test runs\npython 3.10: passed (coverage off)\npython 3.11: passed (coverage off)\npython 3.12: passed (coverage on)\n",
      lines: [
        "python 3.10: passed (coverage off)",
        "python 3.11: passed (coverage off)",
        "python 3.12: passed (coverage on)",
      ],
    });
  });
});

import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

// Black-box: the command as a user runs it.
const ROOT = join(import.meta.dir, "../..");
const ENTRY = [join(ROOT, "src/cli/main.ts"), "validate"];
const FIXTURES = join(import.meta.dir, "fixtures");

function mallet(args: string[], options: { cwd?: string; stdin?: string } = {}) {
  const result = Bun.spawnSync([process.execPath, ...ENTRY, ...args], {
    cwd: options.cwd ?? ROOT,
    stdin: options.stdin === undefined ? "ignore" : Buffer.from(options.stdin),
    env: { ...process.env, NO_COLOR: "1" },
  });
  return {
    code: result.exitCode,
    stdout: result.stdout.toString(),
    stderr: result.stderr.toString(),
  };
}

const VALID = "tests/validate/fixtures/valid/matrix.yaml";
const INVALID = "tests/validate/fixtures/invalid/param-undeclared-1.yaml";

describe("mallet validate", () => {
  test("exits 0 and prints only a summary when nothing is wrong", () => {
    expect(mallet([VALID])).toEqual({
      code: 0,
      stdout: "",
      stderr: "1 file checked: no problems\n",
    });
  });

  test("exits 1 and prints path:line:col: severity rule: message", () => {
    const run = mallet([INVALID, VALID]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `${INVALID}:13:7: error param-undeclared: "$(params.mesage)": param "mesage" is not declared\n`,
    );
    expect(run.stderr).toBe("2 files checked: 1 error, 0 warnings\n");
  });

  test("walks directories, in file order", () => {
    const run = mallet(["tests/validate/fixtures/invalid"]);
    expect(run.code).toBe(1);
    const files = run.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(":")[0]);
    expect(files).toEqual([...files].sort());
    expect(run.stderr).toMatch(/^\d+ files checked: \d+ errors, \d+ warnings\n$/);
  });

  test("warnings alone exit 0; --quiet hides them", () => {
    const file = "tests/validate/fixtures/invalid/image-tag-1.yaml";
    expect(mallet([file]).code).toBe(0);
    expect(mallet([file]).stdout).toContain(": warning image-tag: ");
    expect(mallet(["--quiet", file]).stdout).toBe("");
  });

  test("--format json", () => {
    const run = mallet(["--format", "json", INVALID]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      files: 1,
      errors: 1,
      warnings: 0,
      diagnostics: [
        { file: INVALID, line: 13, col: 7, severity: "error", rule: "param-undeclared" },
      ],
    });
    expect(run.stderr).toBe("");
  });

  test("--format github prints workflow annotations", () => {
    const run = mallet(["--format", "github", INVALID]);
    expect(run.stdout).toBe(
      `::error file=${INVALID},line=13,col=7,title=param-undeclared::"$(params.mesage)": param "mesage" is not declared\n`,
    );
  });

  test("reads stdin for -", () => {
    const run = mallet(["-"], { stdin: readFileSync(join(ROOT, INVALID), "utf8") });
    expect(run.code).toBe(1);
    expect(run.stdout).toStartWith("<stdin>:13:7: error param-undeclared: ");
  });

  test("--references reads Tasks that are not reported on", () => {
    const pipeline = "tests/validate/fixtures/references/pipeline.yaml";
    expect(mallet([pipeline]).code).toBe(0);
    const run = mallet([pipeline, "--references", "tests/validate/fixtures/references/tasks"]);
    expect(run.code).toBe(1);
    expect(
      run.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split(": ")[1]),
    ).toEqual(["error missing-param", "error result-undeclared"]);
  });

  test("the nearest .mallet.yaml names references and turns rules off", () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-cli-"));
    const tasks = relative(dir, join(FIXTURES, "references/tasks"));
    writeFileSync(
      join(dir, ".mallet.yaml"),
      `validate:\n  references: [${tasks}]\n  rules:\n    missing-param: off\n`,
    );
    const run = mallet([join(FIXTURES, "references/pipeline.yaml")], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("error result-undeclared");
    expect(run.stdout).not.toContain("missing-param");
  });

  test("a mistake in the config file is a usage error that says where", () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-cli-"));
    writeFileSync(join(dir, ".mallet.yaml"), "validate:\n  rules:\n    image-tags: off\n");
    const run = mallet([join(ROOT, VALID)], { cwd: dir });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: `mallet validate: ${join(dir, ".mallet.yaml")}:3:5: unknown rule "image-tags" (see docs/validate.md)\n`,
    });
  });

  test.each([
    [[], "mallet validate: name the files or directories to check (or - for stdin)\n"],
    [["no/such.yaml"], "mallet validate: no/such.yaml: no such file or directory\n"],
    [
      ["--format", "xml", VALID],
      'mallet validate: unknown format "xml" (use text, json, github)\n',
    ],
    [
      ["--config", "no/such/config.yaml", VALID],
      "mallet validate: no/such/config.yaml: cannot read the config file\n",
    ],
  ])("usage errors exit 2 with one line: %j", (args, message) => {
    expect(mallet(args)).toEqual({ code: 2, stdout: "", stderr: message });
  });
});

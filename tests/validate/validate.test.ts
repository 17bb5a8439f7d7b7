import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadValidateConfig } from "../../src/cli/validate-config.ts";
import { isMalletError } from "../../src/core/errors.ts";
import { type Diagnostic, sortDiagnostics } from "../../src/core/validate/diagnostic.ts";
import { RULES } from "../../src/core/validate/rules.ts";
import { validate } from "../../src/core/validate/validate.ts";
import {
  formatDiagnostics,
  formatGithubLine,
  formatSummary,
  formatTextLine,
} from "../../src/ui/validate-format.ts";

const REFS = join(import.meta.dir, "fixtures/references");
const read = (file: string) => ({ file, text: readFileSync(file, "utf8") });
const short = (d: Diagnostic) => `${d.line}:${d.col} ${d.severity} ${d.rule}`;

const TASK_WITHOUT_TAG = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
    - image: alpine
      script: echo "$(params.missing)"
`;

describe("references", () => {
  const pipeline = read(join(REFS, "pipeline.yaml"));
  const task = read(join(REFS, "tasks/build.yaml"));

  test("a Task read from a references folder is checked against, not reported on", () => {
    const found = validate({ files: [pipeline], references: [task] }).map(short);
    expect(found).toEqual(["12:7 error missing-param", "22:11 error result-undeclared"]);
  });

  test("without the folder the ref points outside the files and is not an error", () => {
    expect(validate({ files: [pipeline] })).toEqual([]);
  });

  test("a ref prefers the definition in its own file", () => {
    const other = { file: "other.yaml", text: task.text.replace("- name: revision\n", "") };
    const here = {
      file: "here.yaml",
      text: `${task.text}---\n${pipeline.text.replace(/^# .*\n/gm, "")}`,
    };
    const found = validate({ files: [other, here] }).filter((d) => d.file === "here.yaml");
    expect(found.map((d) => d.rule)).toContain("missing-param");
  });
});

describe("rule settings", () => {
  const file = { file: "t.yaml", text: TASK_WITHOUT_TAG };

  test("defaults: an untagged image warns, an undeclared param is an error", () => {
    expect(validate({ files: [file] }).map(short)).toEqual([
      "7:7 warning image-tag",
      "8:7 error param-undeclared",
    ]);
  });

  test("off silences a rule and a severity replaces the default", () => {
    const rules = { "image-tag": "off", "param-undeclared": "warning" } as const;
    expect(validate({ files: [file], rules }).map(short)).toEqual(["8:7 warning param-undeclared"]);
  });
});

describe("before a run", () => {
  const file = (text: string) => ({ file: "w.yaml", text });
  const pipelineRun = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: t
        when: [{input: a, operator: in, values: [b]}]
        taskSpec:
          workspaces: [{name: needed}]
          steps: [{image: alpine:3.20, script: "true"}]
`;
  const taskRun = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    workspaces: [{name: needed}]
    steps: [{image: alpine:3.20, script: "true"}]
`;

  test("a pipeline task's unbound workspace is left to its TaskRun, which when may skip", () => {
    expect(validate({ files: [file(pipelineRun)] }).map(short)).toEqual([
      "9:9 error missing-workspace",
    ]);
    expect(validate({ files: [file(pipelineRun)], beforeRun: true })).toEqual([]);
  });

  test("a run's own unbound workspace is still refused", () => {
    expect(validate({ files: [file(taskRun)], beforeRun: true }).map(short)).toEqual([
      "5:3 error missing-workspace",
    ]);
  });
});

describe("what is not Tekton passes silently", () => {
  test.each([
    ["a ConfigMap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n"],
    ["an unknown tekton.dev kind", "apiVersion: tekton.dev/v1beta1\nkind: ClusterTask\nspec: {}\n"],
    ["a broken template without tekton.dev", "a: {{ .Values.x }}\n  b: [\n"],
    ["an empty file", ""],
  ])("%s", (_name, text) => {
    expect(validate({ files: [{ file: "x.yaml", text }] })).toEqual([]);
  });

  test("but broken YAML that mentions tekton.dev is reported", () => {
    const text = "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: [\n";
    expect(validate({ files: [{ file: "x.yaml", text }] }).map((d) => d.rule)).toEqual([
      "yaml-syntax",
    ]);
  });
});

describe("order and formats", () => {
  const d = (file: string, line: number, col: number): Diagnostic => ({
    file,
    line,
    col,
    severity: "error",
    rule: "schema",
    message: "m",
  });

  test("diagnostics follow the order of the files, then line and column", () => {
    const sorted = sortDiagnostics(
      [d("b", 1, 1), d("a", 9, 1), d("a", 2, 5), d("a", 2, 3)],
      ["a", "b"],
    );
    expect(sorted.map((x) => `${x.file}:${x.line}:${x.col}`)).toEqual([
      "a:2:3",
      "a:2:5",
      "a:9:1",
      "b:1:1",
    ]);
  });

  const problem: Diagnostic = {
    file: "dir/p.yaml",
    line: 12,
    col: 7,
    severity: "warning",
    rule: "image-tag",
    message: 'image "a:b" 50%, really',
  };

  test.each([
    [formatTextLine(problem), `dir/p.yaml:12:7: warning image-tag: image "a:b" 50%, really`],
    [
      formatGithubLine(problem),
      `::warning file=dir/p.yaml,line=12,col=7,title=image-tag::image "a:b" 50%25, really`,
    ],
    [formatSummary([], 3), "3 files checked: no problems"],
    [formatSummary([problem, d("x", 1, 1)], 1), "1 file checked: 1 error, 1 warning"],
  ])("%s", (actual, expected) => {
    expect(actual).toBe(expected);
  });

  test("json holds counts and every diagnostic", () => {
    const json = JSON.parse(formatDiagnostics([problem], "json", 2));
    expect(json).toEqual({ files: 2, errors: 0, warnings: 1, diagnostics: [problem] });
  });
});

describe("config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "mallet-validate-"));
  const write = (text: string) => {
    const path = join(dir, ".mallet.yaml");
    writeFileSync(path, text);
    return path;
  };

  test("references are resolved from the config file's folder; off may be bare", async () => {
    const config = await loadValidateConfig(
      write(
        "validate:\n  references: [tasks, ../shared]\n  rules:\n    image-tag: off\n    param-unused: error\n",
      ),
    );
    expect(config).toEqual({
      references: [join(dir, "tasks"), join(dir, "../shared")],
      rules: { "image-tag": "off", "param-unused": "error" },
    });
  });

  test("no validate section means defaults", async () => {
    expect(await loadValidateConfig(write("run:\n  concurrency: 2\n"))).toEqual({
      references: [],
      rules: {},
    });
  });

  test.each([
    ["validate:\n  rules:\n    image-tags: off\n", 'unknown rule "image-tags"'],
    ["validate:\n  rules:\n    image-tag: silent\n", "must be error, warning or off"],
    ["validate:\n  refs: [a]\n", 'unknown setting "validate.refs"'],
    ["validate:\n  references: 3\n", "must be a list of directories"],
  ])("%j is a usage error, located in the file", async (text, message) => {
    let error: unknown;
    try {
      await loadValidateConfig(write(text));
    } catch (caught) {
      error = caught;
    }
    expect(isMalletError(error) && error.location?.line).toBeGreaterThan(1);
    expect(isMalletError(error) && error.code).toBe("USAGE");
    expect((error as Error).message).toContain(message);
  });
});

describe("docs/validate.md", () => {
  const docs = readFileSync(join(import.meta.dir, "../../docs/validate.md"), "utf8");

  test.each(Object.entries(RULES))("documents %s with its default severity", (rule, info) => {
    expect(docs).toContain(`| \`${rule}\` | ${info.severity} |`);
  });
});

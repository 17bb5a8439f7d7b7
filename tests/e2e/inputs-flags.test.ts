import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

describe("running a Task or Pipeline directly", () => {
  test("a Task runs with -p params and takes defaults for the rest", async () => {
    const run = await mallet(["run", fixture("resources/greet-task.yaml"), "-p", "who=flags"]);
    expect(run.exitCode).toBe(0);
    expect(run.statuses[0]?.kind).toBe("TaskRun");
    expect(run.statuses[0]?.name).toMatch(/^greet-run-[a-z0-9]{5}$/);
    expect(resultOf(run.statuses[0], run.statuses[0]?.name ?? "", "greeting")).toBe("hello flags");
  });

  test("a Pipeline runs with -p for string, array (a,b) and object (k:v) params and -w for a host directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-flags-"));
    try {
      const run = await mallet([
        "run",
        fixture("pipeline-flags.yaml"),
        "-p",
        "message=hello there",
        "-p",
        "targets=linux,mac",
        "-p",
        "settings=mode:fast,level:3",
        "-w",
        `name=out,path=${dir}`,
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.statuses[0]?.kind).toBe("PipelineRun");
      expect(readFileSync(join(dir, "written.txt"), "utf8")).toBe("hello there|linux mac|fast|3");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--task picks one Task when the input holds several", async () => {
    const run = await mallet([
      "run",
      fixture("resources/greet-task.yaml"),
      fixture("v1beta1.yaml"),
      "--task",
      "greet",
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.statuses.map((status) => status.kind)).toEqual(["TaskRun"]);
  });

  test("several Tasks and no --task is a usage error listing them", async () => {
    const other = `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: other}
spec:
  steps: [{image: localhost/standin/busybox, script: "true"}]
`;
    const run = await mallet(["run", fixture("resources"), "-"], { stdin: other });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      "mallet: the input holds several Tasks (greet, other); choose one with --task NAME\n",
    );
  });

  test("--task naming a Task that is not in the input is an input error", async () => {
    const run = await mallet([
      "run",
      fixture("resources"),
      fixture("step-actions.yaml"),
      "--task",
      "nope",
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('mallet: Task "nope" is not in the input\n');
  });
});

describe("where documents come from", () => {
  test("--resources DIR supplies the Tasks that taskRefs name", async () => {
    const run = await mallet([
      "run",
      fixture("uses-greet.yaml"),
      "--resources",
      fixture("resources"),
    ]);
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "hello", "greeting")).toBe("hello resources");
  });

  test("a taskRef to a Task that is nowhere is an input error at the ref", async () => {
    const run = await mallet(["run", "tests/fixtures/uses-greet.yaml"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'mallet: tests/fixtures/uses-greet.yaml:8:19: Task "greet" was not found in the input or --resources\n',
    );
  });

  test("- reads the documents from stdin", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {generateName: from-stdin-}
spec:
  taskSpec:
    steps: [{name: x, image: localhost/standin/busybox, script: echo from stdin}]
`);
    expect(run.exitCode).toBe(0);
    expect(run.statuses[0]?.name).toMatch(/^from-stdin-[a-z0-9]{5}$/);
    expect(run.stdout).toContain("[from-stdin-");
  });

  test("an unknown field is a schema error with its position", async () => {
    const run = await runYaml(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    steps:
      - image: localhost/standin/busybox
        scirpt: echo typo
`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('mallet: <stdin>:8:9: unknown field "spec.taskSpec.steps.0.scirpt"\n');
  });

  test("v1beta1 documents are mapped to v1: step resources and the PipelineRun's podTemplate", async () => {
    const run = await mallet(["run", fixture("v1beta1.yaml")]);
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "who", "user")).toBe("2000\n");
  });
});

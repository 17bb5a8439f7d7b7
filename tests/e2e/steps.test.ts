import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { stepsOf, taskRunOf } from "../helpers/status.ts";

const BUSYBOX = "localhost/standin/busybox";
setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

/** A TaskRun named `t` with the given task spec body (indented YAML under taskSpec). */
function taskRun(spec: string, extra = ""): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
${extra}  taskSpec:
${spec
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;
}

describe("step exit codes", () => {
  test("a step exiting 3 fails the TaskRun, names the step and code, and mallet exits 1", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    script: exit 3
  - name: after
    image: ${BUSYBOX}
    script: echo never
`),
    );
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: '"step-x" exited with code 3',
    });
    expect(run.stdout + run.stderr).toContain('"step-x" exited with code 3');
    expect(stepsOf(run.statuses[0], "t")).toEqual({ x: "Error/3", after: "Skipped/undefined" });
  });

  test("an unnamed step is reported as step-unnamed-<index>", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - image: ${BUSYBOX}
    script: "true"
  - image: ${BUSYBOX}
    script: exit 4
`),
    );
    expect(run.statuses[0]?.condition.message).toBe('"step-unnamed-1" exited with code 4');
  });
});

describe("commands and scripts", () => {
  test("args without a command run after the image's CMD (busybox: sh -c)", async () => {
    const run = await runYaml(
      taskRun(`
results: [{name: out}]
steps:
  - name: x
    image: ${BUSYBOX}
    args: [-c, "echo hi > $(results.out.path)"]
`),
    );
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "t", "out")).toBe("hi\n");
  });

  test("args without a command follow the image's ENTRYPOINT (debian stand-in)", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: docker.io/library/ubuntu
    args: [bash, -c, "echo from-entrypoint"]
`),
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("[t : x] from-entrypoint");
  });

  test("a command replaces the image's entrypoint and receives the args", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    command: [echo]
    args: [one, "two words"]
`),
    );
    expect(run.stdout).toContain("[t : x] one two words");
  });

  test("a script with a python shebang runs under python", async () => {
    const run = await runYaml(
      taskRun(`
results: [{name: sum}]
steps:
  - name: py
    image: mirror.gcr.io/python:3.12
    script: |
      #!/usr/bin/env python3
      import sys
      with open("$(results.sum.path)", "w") as f:
          f.write(str(sum(range(10))) + " " + sys.version.split()[0][0])
`),
    );
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "t", "sum")).toBe("45 3");
  });

  test("a script without a shebang runs under sh with set -e", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    script: |
      false
      echo not reached
`),
    );
    expect(run.statuses[0]?.condition.message).toBe('"step-x" exited with code 1');
    expect(run.stdout).not.toContain("not reached");
  });

  test("a script receives the step's args", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    args: [alpha, beta]
    script: 'echo "got $# args: $1 $2"'
`),
    );
    expect(run.stdout).toContain("[t : x] got 2 args: alpha beta");
  });

  test("Kubernetes $(VAR) references in args expand from the step's env; $$ escapes", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    env: [{name: GREETING, value: hello}]
    command: [echo]
    args: ["$(GREETING) world", "$$(GREETING)"]
`),
    );
    expect(run.stdout).toContain("[t : x] hello world $(GREETING)");
  });

  test("a missing workingDir is created", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    workingDir: /workspace/deep/er
    script: pwd
`),
    );
    expect(run.stdout).toContain("[t : x] /workspace/deep/er");
  });
});

describe("step timeout and onError", () => {
  test("a step over its timeout is stopped and fails the TaskRun", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: slow
    image: ${BUSYBOX}
    timeout: 1s
    script: sleep 20
`),
    );
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: '"step-slow" exited because the step exceeded the specified timeout limit',
    });
    expect(taskRunOf(run.statuses[0], "t")?.steps[0]?.terminationReason).toBe("TimeoutExceeded");
  });

  test("onError: continue keeps going; the exit code is readable from the exitCode file", async () => {
    const run = await runYaml(
      taskRun(`
results: [{name: code}]
steps:
  - name: x
    image: ${BUSYBOX}
    onError: continue
    script: exit 7
  - name: read
    image: ${BUSYBOX}
    script: cat $(steps.step-x.exitCode.path) > $(results.code.path)
`),
    );
    expect(run.exitCode).toBe(0);
    expect(run.statuses[0]?.condition.reason).toBe("Succeeded");
    expect(resultOf(run.statuses[0], "t", "code")).toBe("7");
    expect(stepsOf(run.statuses[0], "t")).toEqual({ x: "Error/7", read: "Completed/0" });
  });
});

describe("step when", () => {
  test("a step whose when is false is skipped with exit code 0 and the task succeeds", async () => {
    const run = await runYaml(
      taskRun(
        `
params: [{name: mode}]
steps:
  - name: deploy
    image: ${BUSYBOX}
    when: [{input: "$(params.mode)", operator: in, values: [prod]}]
    script: exit 1
  - name: always
    image: ${BUSYBOX}
    when: [{input: "$(params.mode)", operator: notin, values: [prod]}]
    script: echo ran
`,
        "  params: [{name: mode, value: dev}]\n",
      ),
    );
    expect(run.exitCode).toBe(0);
    expect(stepsOf(run.statuses[0], "t")).toEqual({ deploy: "Skipped/0", always: "Completed/0" });
    expect(run.stdout).toContain("[t : always] ran");
  });
});

describe("stepTemplate", () => {
  test("env merges by name, the step's own fields win, and a step without command inherits the template's", async () => {
    const run = await runYaml(
      taskRun(`
stepTemplate:
  image: ${BUSYBOX}
  env:
    - {name: A, value: from-template}
    - {name: B, value: from-template}
  command: [sh, -c, 'echo "$0 A=$A B=$B"']
steps:
  - name: own
    env: [{name: B, value: from-step}]
    command: [sh, -c, 'echo "own A=$A B=$B"']
  - name: inherits
    args: [extra]
`),
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("[t : own] own A=from-template B=from-step");
    expect(run.stdout).toContain("[t : inherits] extra A=from-template B=from-template");
  });

  test("a script step under a stepTemplate with a command is refused, as Tekton's webhook does", async () => {
    const run = await runYaml(
      taskRun(`
stepTemplate:
  image: ${BUSYBOX}
  command: [echo, template-command]
steps:
  - name: script
    script: echo from the script
`),
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      "mallet: <stdin>:11:9: script-and-command: script cannot be used with command (from stepTemplate)\n",
    );
  });
});

describe("securityContext", () => {
  test("runAsUser sets the step's user id", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    image: ${BUSYBOX}
    securityContext: {runAsUser: 1234}
    script: id -u
`),
    );
    expect(run.stdout).toContain("[t : x] 1234");
  });

  test("podTemplate.securityContext.runAsUser is every step's default user", async () => {
    const run = await runYaml(
      taskRun(
        `
steps:
  - name: x
    image: ${BUSYBOX}
    script: id -u
  - name: own
    image: ${BUSYBOX}
    securityContext: {runAsUser: 0}
    script: id -u
`,
        "  podTemplate: {securityContext: {runAsUser: 4321}}\n",
      ),
    );
    expect(run.stdout).toContain("[t : x] 4321");
    expect(run.stdout).toContain("[t : own] 0");
  });
});

describe("StepActions", () => {
  test("a step ref runs the StepAction with its params; step results feed later steps and Task results", async () => {
    const run = await mallet(["run", fixture("step-actions.yaml")]);
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "actions", "joined")).toBe("hello world!");
    expect(resultOf(run.statuses[0], "actions", "both")).toBe("hello world! / hello mallet?");
  });

  test("a ref to an unknown StepAction is an input error (exit 2)", async () => {
    const run = await runYaml(
      taskRun(`
steps:
  - name: x
    ref: {name: nowhere}
`),
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('StepAction "nowhere" was not found');
  });
});

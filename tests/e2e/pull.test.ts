import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mallet, runYaml } from "../helpers/mallet.ts";
import { skippedOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);

const MISSING = "registry.invalid/mallet/missing:1.0";

// The first task would take 30 s if it ran: the run must fail before it starts.
const PIPELINE = `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pulls}
spec:
  pipelineSpec:
    tasks:
      - name: slow
        taskSpec:
          steps: [{image: localhost/standin/busybox, script: "sleep 30"}]
      - name: needs-missing
        runAfter: [slow]
        taskSpec:
          steps: [{image: "${MISSING}", script: "true"}]
    finally:
      - name: report
        taskSpec:
          steps: [{image: localhost/standin/busybox, script: "echo done"}]
`;

describe("--pull never with an image that is not present", () => {
  test("a TaskRun fails fast with TaskRunImagePullFailed naming the image", async () => {
    const started = performance.now();
    const run = await mallet(["run", "-", "--pull", "never", "-o", "plain"], {
      stdin: `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: missing}
spec:
  taskSpec:
    steps: [{image: "${MISSING}", script: "true"}]
`,
    });
    const seconds = (performance.now() - started) / 1000;
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "TaskRunImagePullFailed",
      message: `image "${MISSING}" is not present and pulling is disabled (--pull never)`,
    });
    expect(run.stdout).toContain(
      `TaskRun missing TaskRunImagePullFailed: image "${MISSING}" is not present`,
    );
    // Starting Bun and asking the engine once; no container is made.
    expect(seconds).toBeLessThan(5);
  });

  test("a PipelineRun fails before its first task starts; the task needing it names it", async () => {
    const started = performance.now();
    const run = await runYaml(PIPELINE, ["--pull", "never", "-o", "plain"]);
    const seconds = (performance.now() - started) / 1000;
    expect(run.exitCode).toBe(1);
    const status = run.statuses[0];
    expect(status?.condition.reason).toBe("Failed");
    expect(taskRunOf(status, "needs-missing")?.condition).toEqual({
      status: "False",
      reason: "TaskRunImagePullFailed",
      message: `image "${MISSING}" is not present and pulling is disabled (--pull never)`,
    });
    expect(skippedOf(status)).toEqual({
      slow: "PipelineRun was stopping",
      report: "PipelineRun was stopping",
    });
    expect(seconds).toBeLessThan(10);
  });

  test("with pulls allowed, the failed pull gives the engine's reason, still before any task", async () => {
    const run = await runYaml(PIPELINE, ["-o", "plain"]);
    expect(run.exitCode).toBe(1);
    const condition = taskRunOf(run.statuses[0], "needs-missing")?.condition;
    expect(condition?.reason).toBe("TaskRunImagePullFailed");
    expect(condition?.message).toStartWith(`failed to pull image "${MISSING}": `);
    // No registry answers here: the engine says why (a name that does not resolve).
    expect(condition?.message).toMatch(/registry\.invalid/);
    expect(run.stdout).toContain(`pulling ${MISSING}`);
    expect(skippedOf(run.statuses[0])).toEqual({
      slow: "PipelineRun was stopping",
      report: "PipelineRun was stopping",
    });
  });
});

test("imagePullPolicy: Never on a step works as --pull never does, for that image", async () => {
  const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: policy}
spec:
  taskSpec:
    steps:
      - {image: "${MISSING}", imagePullPolicy: Never, script: "true"}
`);
  expect(run.exitCode).toBe(1);
  expect(run.statuses[0]?.condition.reason).toBe("TaskRunImagePullFailed");
  expect(run.stdout).not.toContain(`pulling ${MISSING}`);
});

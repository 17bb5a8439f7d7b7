import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { resultOf, runYaml } from "../helpers/mallet.ts";
import { skippedOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);

describe("retries", () => {
  test("a task that fails once and succeeds on its retry leaves the run Succeeded", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: flaky
        retries: 2
        taskSpec:
          results: [{name: attempt}]
          steps:
            - name: try
              image: localhost/standin/busybox
              script: |
                printf '$(context.task.retry-count) of $(context.pipelineTask.retries)' > $(results.attempt.path)
                [ "$(context.task.retry-count)" -ge 1 ]
`);
    expect(run.exitCode).toBe(0);
    expect(run.statuses[0]?.condition.reason).toBe("Succeeded");
    expect(resultOf(run.statuses[0], "flaky", "attempt")).toBe("1 of 2");
    expect(taskRunOf(run.statuses[0], "flaky")?.retryCount).toBe(1);
    expect(run.stdout).toContain("[flaky] started (retry 1)");
    expect(run.stdout).not.toContain("[flaky] started (retry 2)");
  });

  test("a task that keeps failing is tried 1 + retries times, then fails the run", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: broken
        retries: 2
        taskSpec:
          steps:
            - {name: x, image: localhost/standin/busybox, script: exit 1}
`);
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition.reason).toBe("Failed");
    expect(taskRunOf(run.statuses[0], "broken")?.retryCount).toBe(2);
    expect(run.stdout).toContain("[broken] started (retry 2)");
    expect(run.stdout).not.toContain("(retry 3)");
  });
});

describe("timeouts", () => {
  test("a TaskRun over its timeout ends with TaskRunTimeout", async () => {
    const started = Date.now();
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: slow}
spec:
  timeout: 2s
  taskSpec:
    steps:
      - {name: wait, image: localhost/standin/busybox, script: sleep 30}
`);
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "TaskRunTimeout",
      message: 'TaskRun "slow" failed to finish within "2s"',
    });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test("a pipeline task's timeout fails that task with TaskRunTimeout and the run", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: slow
        timeout: 2s
        taskSpec:
          steps: [{name: wait, image: localhost/standin/busybox, script: sleep 30}]
`);
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition.reason).toBe("Failed");
    expect(taskRunOf(run.statuses[0], "slow")?.condition).toEqual({
      status: "False",
      reason: "TaskRunTimeout",
      message: 'TaskRun "p-slow" failed to finish within "2s"',
    });
  });

  test("timeouts.pipeline ends the run with PipelineRunTimeout and skips what had not started", async () => {
    const started = Date.now();
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  timeouts: {pipeline: 3s}
  pipelineSpec:
    tasks:
      - name: slow
        taskSpec:
          steps: [{name: wait, image: localhost/standin/busybox, script: sleep 30}]
      - name: later
        runAfter: [slow]
        taskSpec:
          steps: [{image: localhost/standin/busybox, script: "true"}]
    finally:
      - name: cleanup
        taskSpec:
          steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "PipelineRunTimeout",
      message: 'PipelineRun "p" failed to finish within "3s"',
    });
    expect(skippedOf(run.statuses[0])).toEqual({
      later: "PipelineRun was stopping",
      cleanup: "PipelineRun timeout has been reached",
    });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test("v1beta1 spec.timeout is the pipeline timeout", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata: {name: p}
spec:
  timeout: 2s
  pipelineSpec:
    tasks:
      - name: slow
        taskSpec:
          steps: [{name: wait, image: localhost/standin/busybox, script: sleep 30}]
`);
    expect(run.statuses[0]?.condition.reason).toBe("PipelineRunTimeout");
  });
});

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { MalletResult } from "../helpers/mallet.ts";
import { IMAGE_MAP, mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once, skippedOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

/** The [start, end] seconds a task's step recorded from inside its container. */
function span(run: MalletResult, task: string): [number, number] {
  const start = Number(resultOf(run.statuses[0], task, "start"));
  const end = Number(resultOf(run.statuses[0], task, "end"));
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return [start, end];
}

const timing = (...flags: string[]) =>
  mallet(["run", fixture("parallel-timing.yaml"), "--image-map", IMAGE_MAP, ...flags]);

describe("scheduling", () => {
  const parallel = once(() => timing());
  const serial = once(() => timing("--concurrency", "1"));

  test("independent tasks run at the same time", async () => {
    const run = await parallel();
    expect(run.exitCode).toBe(0);
    const [aStart, aEnd] = span(run, "a");
    const [bStart, bEnd] = span(run, "b");
    expect(aStart).toBeLessThan(bEnd);
    expect(bStart).toBeLessThan(aEnd);
  });

  test("a task starts only after everything in its runAfter finished", async () => {
    const run = await parallel();
    const [cStart] = span(run, "c");
    expect(cStart).toBeGreaterThanOrEqual(span(run, "a")[1]);
    expect(cStart).toBeGreaterThanOrEqual(span(run, "b")[1]);
  });

  test("--concurrency 1 runs one TaskRun at a time", async () => {
    const run = await serial();
    expect(run.exitCode).toBe(0);
    const [aStart, aEnd] = span(run, "a");
    const [bStart, bEnd] = span(run, "b");
    expect(aEnd <= bStart || bEnd <= aStart).toBe(true);
  });
});

describe("a failing task", () => {
  const failing = once(() => mallet(["run", fixture("failing-pipeline.yaml")]));

  test("fails the PipelineRun, exit code 1, with Tekton's count message", async () => {
    const run = await failing();
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 3 (Failed: 1, Cancelled 0), Skipped: 2",
    });
    expect(taskRunOf(run.statuses[0], "build")?.condition.message).toBe(
      '"step-compile" exited with code 3',
    );
  });

  test("skips the tasks not yet started, as the run is stopping", async () => {
    const run = await failing();
    expect(skippedOf(run.statuses[0])).toEqual({
      test: "PipelineRun was stopping",
      package: "PipelineRun was stopping",
    });
    expect(taskRunOf(run.statuses[0], "lint")?.condition.reason).toBe("Succeeded");
  });

  test("still runs finally, which sees the failure", async () => {
    const run = await failing();
    expect(resultOf(run.statuses[0], "report", "line")).toBe("Failed/Failed");
  });
});

describe("graph errors", () => {
  test("a cycle is an input error naming the tasks", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - {name: a, runAfter: [b], taskSpec: {steps: [{image: localhost/standin/busybox, script: "true"}]}}
      - {name: b, runAfter: [a], taskSpec: {steps: [{image: localhost/standin/busybox, script: "true"}]}}
`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      "mallet: <stdin>:8:30: pipeline-cycle: tasks depend on each other in a cycle: a -> b -> a\n",
    );
  });

  test("runAfter naming an unknown task is an input error", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - {name: a, runAfter: [ghost], taskSpec: {steps: [{image: localhost/standin/busybox, script: "true"}]}}
`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'mallet: <stdin>:8:30: runafter-unknown: runAfter names "ghost", which is not a task of this pipeline\n',
    );
  });
});

describe("onError: continue on a pipeline task", () => {
  const run = once(() => mallet(["run", fixture("pipeline-task-on-error.yaml")]));

  test("the task's failure is ignored: the run Succeeds and exits 0", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.statuses[0]?.condition.status).toBe("True");
    expect(result.statuses[0]?.condition.reason).toBe("Succeeded");
  });

  test("the failed TaskRun's reason is FailureIgnored", async () => {
    expect(taskRunOf((await run()).statuses[0], "optional-lint")?.condition).toEqual({
      status: "False",
      reason: "FailureIgnored",
      message: '"step-lint" exited with code 4',
    });
  });

  test("dependants run with the results it wrote; finally sees Failed/FailureIgnored", async () => {
    const result = await run();
    expect(resultOf(result.statuses[0], "after", "seen")).toBe("half done");
    expect(resultOf(result.statuses[0], "report", "line")).toBe("Failed/FailureIgnored/Succeeded");
  });
});

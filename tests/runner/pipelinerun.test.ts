import { describe, expect, test } from "bun:test";
import type { RunEvent } from "../../src/core/events.ts";
import { FakeEngine } from "../helpers/fake-engine.ts";
import { runOnFake } from "../helpers/run-with-fake.ts";

/** A PipelineRun whose tasks each run one `alpine` step named `run`. */
function pipelineRun(tasks: string, more = ""): string {
  return `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: echo}
spec:
  params: [{name: text, default: ""}]
  results: [{name: out}]
  steps:
    - {name: run, image: alpine, command: [echo], args: ["$(params.text)"]}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pr}
spec:
  pipelineSpec:
${tasks}
${more}
`;
}

function started(events: RunEvent[]) {
  return events.flatMap((event) =>
    event.kind === "task-started" ? [`${event.task}#${event.attempt}`] : [],
  );
}

describe("a PipelineRun on the fake engine", () => {
  test("tasks run after their parents: runAfter and result references", async () => {
    const yaml = pipelineRun(`
    tasks:
      - {name: last, taskRef: {name: echo}, runAfter: [middle]}
      - name: middle
        taskRef: {name: echo}
        params: [{name: text, value: "got $(tasks.first.results.out)"}]
      - {name: first, taskRef: {name: echo}}
    results:
      - {name: final, value: $(tasks.first.results.out)}`);
    const engine = new FakeEngine().on("pr-first/step-run", { results: { out: "hello" } });
    const { statuses } = await runOnFake(yaml, engine);

    expect(engine.trace((call) => call.method === "runAttached")).toEqual([
      "runAttached pr-first/step-run",
      "runAttached pr-middle/step-run",
      "runAttached pr-last/step-run",
    ]);
    const middle = [...engine.containers.values()].find((spec) =>
      spec.name.endsWith("pr-middle-step-run"),
    );
    expect(middle?.args).toEqual(["got hello"]);
    expect(statuses[0]?.condition).toEqual({
      status: "True",
      reason: "Succeeded",
      message: "Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 0",
    });
    expect(statuses[0]?.results).toEqual([{ name: "final", value: "hello" }]);
  });

  test("a failure stops new tasks; running ones finish; finally runs; the pods are all removed", async () => {
    const yaml = pipelineRun(`
    tasks:
      - {name: broken, taskRef: {name: echo}}
      - {name: slow, taskRef: {name: echo}}
      - {name: after-broken, taskRef: {name: echo}, runAfter: [broken]}
      - {name: after-slow, taskRef: {name: echo}, runAfter: [slow]}
    finally:
      - {name: cleanup, taskRef: {name: echo}}`);
    const engine = new FakeEngine()
      .on("pr-broken/step-run", { exitCode: 2 })
      .on("pr-slow/step-run", { durationMs: 50 });
    const { statuses, events } = await runOnFake(yaml, engine);

    const status = statuses[0];
    expect(status?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 3 (Failed: 1, Cancelled 0), Skipped: 2",
    });
    expect(status?.taskRuns.map((run) => [run.pipelineTask, run.condition.reason])).toEqual([
      ["broken", "Failed"],
      ["slow", "Succeeded"],
      ["cleanup", "Succeeded"],
    ]);
    expect(status?.skippedTasks).toEqual([
      { name: "after-broken", reason: "PipelineRun was stopping" },
      { name: "after-slow", reason: "PipelineRun was stopping" },
    ]);
    expect(started(events)).toEqual(["broken#0", "slow#0", "cleanup#0"]);
    expect(engine.trace((call) => call.method === "removePod").sort()).toEqual([
      "removePod pr-broken",
      "removePod pr-cleanup",
      "removePod pr-slow",
    ]);
    const runId = [...engine.pods.values()][0]?.labels["mallet.run"];
    expect(engine.calls.at(-1)).toEqual({
      method: "removeLabelled",
      target: `mallet.run=${runId}`,
    });
  });

  test("a task failing on its first attempt and passing on its retry succeeds", async () => {
    const yaml = pipelineRun(`
    tasks:
      - {name: flaky, taskRef: {name: echo}, retries: 2}`);
    const engine = new FakeEngine().on("pr-flaky/step-run", ({ attempt }) => ({
      exitCode: attempt === 0 ? 1 : 0,
    }));
    const { statuses, events } = await runOnFake(yaml, engine);

    expect(statuses[0]?.condition.reason).toBe("Succeeded");
    expect(started(events)).toEqual(["flaky#0", "flaky#1"]);
    const finished = events.flatMap((event) =>
      event.kind === "task-finished"
        ? [[event.status.retryCount, event.status.condition.reason, event.willRetry]]
        : [],
    );
    expect(finished).toEqual([
      [0, "Failed", true],
      [1, "Succeeded", false],
    ]);
    expect(
      engine.trace((call) => call.method === "createPod" || call.method === "removePod"),
    ).toEqual([
      "createPod pr-flaky",
      "removePod pr-flaky",
      "createPod pr-flaky-r1",
      "removePod pr-flaky-r1",
    ]);
    expect(statuses[0]?.taskRuns.map((run) => run.retryCount)).toEqual([1]);
  });

  test("retries run out: the last attempt's failure is the task's", async () => {
    const yaml = pipelineRun(`
    tasks:
      - {name: doomed, taskRef: {name: echo}, retries: 1}`);
    const engine = new FakeEngine().on("step-run", { exitCode: 7 });
    const { statuses, events } = await runOnFake(yaml, engine);

    expect(started(events)).toEqual(["doomed#0", "doomed#1"]);
    expect(statuses[0]?.taskRuns.map((run) => run.condition.message)).toEqual([
      '"step-run" exited with code 7',
    ]);
    expect(statuses[0]?.condition.reason).toBe("Failed");
  });

  test.each([1, 2, 4])(
    "--concurrency %p bounds the TaskRuns running at once",
    async (concurrency) => {
      const yaml = pipelineRun(`
    tasks:
      - {name: a, taskRef: {name: echo}}
      - {name: b, taskRef: {name: echo}}
      - {name: c, taskRef: {name: echo}}
      - {name: d, taskRef: {name: echo}}`);
      const engine = new FakeEngine().on("step-run", { durationMs: 30 });
      const { statuses } = await runOnFake(yaml, engine, { concurrency });

      expect(statuses[0]?.condition.reason).toBe("Succeeded");
      expect(engine.maxRunning).toBe(concurrency);
    },
  );

  test("a matrix fans out into TaskRuns within the concurrency; results become arrays", async () => {
    const yaml = pipelineRun(
      `
    tasks:
      - name: fan
        taskRef: {name: echo}
        matrix:
          params: [{name: text, value: [x, y, z]}]
      - name: gather
        params: [{name: all, value: "$(tasks.fan.results.out[*])"}]
        taskSpec:
          params: [{name: all, type: array}]
          steps: [{name: run, image: alpine, command: [echo], args: ["$(params.all[*])"]}]`,
    );
    const engine = new FakeEngine().on(/^pr-fan-\d\/step-run$/, ({ spec }) => ({
      results: { out: `got-${spec.args[0]}` },
      durationMs: 20,
    }));
    const { statuses } = await runOnFake(yaml, engine, { concurrency: 2 });

    expect(statuses[0]?.taskRuns.map((run) => run.name)).toEqual([
      "pr-fan-0",
      "pr-fan-1",
      "pr-fan-2",
      "pr-gather",
    ]);
    expect(engine.maxRunning).toBe(2);
    const gather = [...engine.containers.values()].find((spec) =>
      spec.name.endsWith("pr-gather-step-run"),
    );
    expect(gather?.args).toEqual(["got-x", "got-y", "got-z"]);
  });

  test("a when-skipped task lets runAfter dependants run; its result consumers are skipped", async () => {
    const yaml = pipelineRun(`
    params: [{name: branch, default: dev}]
    tasks:
      - name: release
        taskRef: {name: echo}
        when: [{input: $(params.branch), operator: in, values: [main]}]
      - {name: notify, taskRef: {name: echo}, runAfter: [release]}
      - name: publish
        taskRef: {name: echo}
        params: [{name: text, value: $(tasks.release.results.out)}]
      - {name: after-publish, taskRef: {name: echo}, runAfter: [publish]}`);
    const engine = new FakeEngine();
    const { statuses } = await runOnFake(yaml, engine);

    expect(statuses[0]?.skippedTasks).toEqual([
      { name: "release", reason: "When Expressions evaluated to false" },
      { name: "publish", reason: "Results were missing" },
      { name: "after-publish", reason: "Parent Tasks were skipped" },
    ]);
    expect(engine.trace((call) => call.method === "runAttached")).toEqual([
      "runAttached pr-notify/step-run",
    ]);
    expect(statuses[0]?.condition).toEqual({
      status: "True",
      reason: "Completed",
      message: "Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 3",
    });
  });

  test("finally tasks read the DAG's status", async () => {
    const yaml = pipelineRun(`
    tasks:
      - {name: build, taskRef: {name: echo}}
    finally:
      - name: report
        taskRef: {name: echo}
        params: [{name: text, value: "$(tasks.build.status) $(tasks.status)"}]`);
    const engine = new FakeEngine().on("pr-build/step-run", { exitCode: 1 });
    await runOnFake(yaml, engine);

    const report = [...engine.containers.values()].find((spec) =>
      spec.name.endsWith("pr-report-step-run"),
    );
    expect(report?.args).toEqual(["Failed Failed"]);
  });

  test("Ctrl-C cancels the running TaskRun, skips the rest and removes everything", async () => {
    const yaml = pipelineRun(`
    tasks:
      - {name: long, taskRef: {name: echo}}
      - {name: next, taskRef: {name: echo}, runAfter: [long]}
    finally:
      - {name: cleanup, taskRef: {name: echo}}`);
    const controller = new AbortController();
    const engine = new FakeEngine().on("pr-long/step-run", () => {
      setTimeout(() => controller.abort(), 10);
      return { durationMs: 5_000 };
    });
    const { statuses } = await runOnFake(yaml, engine, { signal: controller.signal });

    expect(statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Cancelled",
      message: 'PipelineRun "pr" was cancelled',
    });
    expect(statuses[0]?.taskRuns.map((run) => [run.pipelineTask, run.condition.reason])).toEqual([
      ["long", "TaskRunCancelled"],
    ]);
    expect(statuses[0]?.skippedTasks.map((task) => task.name)).toEqual(["next", "cleanup"]);
    expect(engine.trace((call) => ["stopContainer", "removePod"].includes(call.method))).toContain(
      "removePod pr-long",
    );
    expect(engine.calls.at(-1)?.method).toBe("removeLabelled");
  });
});

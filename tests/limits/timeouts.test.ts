import { describe, expect, test } from "bun:test";
import { resultOf, runYaml } from "../helpers/mallet.ts";
import { stepsOf, taskRunOf } from "../helpers/status.ts";

const BUSYBOX = "localhost/standin/busybox";
const SLOW = 180_000;

// Appends a line every 0.2 s for as long as its container runs.
const TICKER = "while true; do echo tick >> $(workspaces.shared.path)/ticks; sleep 0.2; done";
// Counts the ticks, waits, counts again: equal counts mean the ticker was really stopped.
const CHECKER = `a=$(wc -l < $(workspaces.shared.path)/ticks); sleep 1.5; b=$(wc -l < $(workspaces.shared.path)/ticks); printf "%s %s" "$a" "$b" > $(results.counts.path)`;

function tickerPipeline(timeouts: string, taskTimeout: string) {
  return `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ticking}
spec:
  ${timeouts}
  workspaces:
    - name: shared
      volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}}
  pipelineSpec:
    workspaces: [{name: shared}]
    tasks:
      - name: ticker
        ${taskTimeout}
        workspaces: [{name: shared}]
        taskSpec:
          workspaces: [{name: shared}]
          steps:
            - image: ${BUSYBOX}
              script: '${TICKER}'
    finally:
      - name: check
        workspaces: [{name: shared}]
        taskSpec:
          workspaces: [{name: shared}]
          results: [{name: counts}]
          steps:
            - image: ${BUSYBOX}
              script: '${CHECKER}'
`;
}

function stoppedCounts(value: unknown): boolean {
  const [before, after] = String(value).split(" ").map(Number);
  return before !== undefined && before > 0 && before === after;
}

describe("timeouts stop their containers", () => {
  test(
    "a TaskRun's timeout stops the running step and skips the rest: TaskRunTimeout",
    async () => {
      const started = Date.now();
      const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: late}
spec:
  timeout: 2s
  taskSpec:
    steps:
      - name: slow
        image: ${BUSYBOX}
        script: sleep 300
      - name: after
        image: ${BUSYBOX}
        script: echo after
`);
      expect(run.exitCode).toBe(1);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(run.statuses[0]?.condition).toEqual({
        status: "False",
        reason: "TaskRunTimeout",
        message: 'TaskRun "late" failed to finish within "2s"',
      });
      expect(stepsOf(run.statuses[0], "late")).toEqual({
        slow: "TaskRunTimeout/137",
        after: "TaskRunTimeout/undefined",
      });
    },
    SLOW,
  );

  test(
    "a pipeline task's timeout stops its container for good (the ticks stop)",
    async () => {
      const run = await runYaml(tickerPipeline("", "timeout: 2s"));
      expect(run.exitCode).toBe(1);
      expect(taskRunOf(run.statuses[0], "ticker")?.condition).toEqual({
        status: "False",
        reason: "TaskRunTimeout",
        message: 'TaskRun "ticking-ticker" failed to finish within "2s"',
      });
      expect(run.statuses[0]?.condition.reason).toBe("Failed");
      expect(stoppedCounts(resultOf(run.statuses[0], "check", "counts"))).toBe(true);
    },
    SLOW,
  );

  test(
    "timeouts.tasks cancels the running task, and finally tasks still run",
    async () => {
      const run = await runYaml(tickerPipeline("timeouts: {tasks: 2s, pipeline: 1m}", ""));
      expect(run.exitCode).toBe(1);
      expect(run.statuses[0]?.condition).toEqual({
        status: "False",
        reason: "PipelineRunTimeout",
        message: 'PipelineRun "ticking" failed to finish within "2s"',
      });
      expect(taskRunOf(run.statuses[0], "ticker")?.condition.reason).toBe("TaskRunCancelled");
      expect(taskRunOf(run.statuses[0], "check")?.condition.reason).toBe("Succeeded");
      expect(stoppedCounts(resultOf(run.statuses[0], "check", "counts"))).toBe(true);
    },
    SLOW,
  );

  test(
    "timeouts.pipeline stops everything and skips finally tasks",
    async () => {
      const started = Date.now();
      const run = await runYaml(tickerPipeline("timeouts: {pipeline: 2s}", ""));
      expect(run.exitCode).toBe(1);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(run.statuses[0]?.condition).toEqual({
        status: "False",
        reason: "PipelineRunTimeout",
        message: 'PipelineRun "ticking" failed to finish within "2s"',
      });
      expect(taskRunOf(run.statuses[0], "ticker")?.condition.reason).toBe("TaskRunCancelled");
      expect(run.statuses[0]?.skippedTasks).toEqual([
        { name: "check", reason: "PipelineRun timeout has been reached" },
      ]);
    },
    SLOW,
  );

  test(
    "a step's timeout stops that step only; the next step sees it stopped",
    async () => {
      const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: step-late}
spec:
  taskSpec:
    results: [{name: counts}]
    steps:
      - name: ticker
        image: ${BUSYBOX}
        timeout: 1s
        onError: continue
        script: 'while true; do echo tick >> /workspace/ticks; sleep 0.2; done'
      - name: check
        image: ${BUSYBOX}
        script: 'a=$(wc -l < /workspace/ticks); sleep 1.5; b=$(wc -l < /workspace/ticks); printf "%s %s" "$a" "$b" > $(results.counts.path)'
`);
      expect(run.exitCode).toBe(0);
      expect(stepsOf(run.statuses[0], "step-late")).toEqual({
        ticker: "TimeoutExceeded/137",
        check: "Completed/0",
      });
      expect(stoppedCounts(resultOf(run.statuses[0], "step-late", "counts"))).toBe(true);
    },
    SLOW,
  );
});

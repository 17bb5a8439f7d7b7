import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once, resultsOf, taskRunsOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

describe("matrix fan-out", () => {
  const run = once(() => mallet(["run", fixture("matrix-fanout.yaml")]));

  test("one TaskRun per combination plus include's new one, named <run>-<task>-<index>", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    const names = taskRunsOf(result.statuses[0], "build").map((taskRun) => taskRun.name);
    expect(names.sort()).toEqual([
      "fan-build-0",
      "fan-build-1",
      "fan-build-2",
      "fan-build-3",
      "fan-build-4",
    ]);
  });

  test("results of a matrixed task are arrays in combination order; later params form the outer loop", async () => {
    const result = await run();
    expect(resultsOf(result.statuses[0]).labels).toEqual([
      "linux-1-plain",
      "mac-1-plain",
      "linux-2-debug",
      "mac-2-plain",
      "windows-9-plain",
    ]);
  });

  test("$(tasks.t.matrix.length) counts the TaskRuns and [*] spreads the results", async () => {
    const result = await run();
    expect(resultOf(result.statuses[0], "count", "out")).toBe(
      "5 runs: linux-1-plain mac-1-plain linux-2-debug mac-2-plain windows-9-plain",
    );
  });
});

describe("matrix limits", () => {
  const values = (prefix: string) =>
    `[${Array.from({ length: 17 }, (_, i) => `${prefix}${i}`).join(", ")}]`;

  test("more than 256 combinations written in the Pipeline is refused, as Tekton's webhook does", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: huge
        matrix:
          params:
            - {name: a, value: ${values("a")}}
            - {name: b, value: ${values("b")}}
        taskSpec:
          params: [{name: a}, {name: b}]
          steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "mallet: <stdin>:9:9: matrix-combinations: matrix makes 289 combinations; at most 256 are allowed\n",
    );
  });

  test("more than 256 combinations known only at run time fails the task without running anything", async () => {
    // The webhook cannot count combinations that come from params; the run finds them.
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  params:
    - {name: as, value: ${values("a")}}
    - {name: bs, value: ${values("b")}}
  pipelineSpec:
    params: [{name: as, type: array}, {name: bs, type: array}]
    tasks:
      - name: huge
        matrix:
          params:
            - {name: a, value: $(params.as)}
            - {name: b, value: $(params.bs)}
        taskSpec:
          params: [{name: a}, {name: b}]
          steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(result.exitCode).toBe(1);
    expect(result.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0",
    });
    expect(result.statuses[0]?.taskRuns).toEqual([]);
    expect(result.stdout + result.stderr).toContain(
      'matrix of task "huge" has 289 combinations, more than the limit of 256',
    );
  });

  test("a matrix param given an empty array skips the task", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  params: [{name: none, value: []}]
  pipelineSpec:
    params: [{name: none, type: array}]
    tasks:
      - name: empty
        matrix:
          params: [{name: a, value: ["$(params.none[*])"]}]
        taskSpec:
          params: [{name: a}]
          steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(result.exitCode).toBe(0);
    expect(result.statuses[0]?.skippedTasks).toEqual([
      { name: "empty", reason: "Matrix Parameters have an empty array" },
    ]);
  });
});

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once, resultsOf, skippedOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);
const runWith = (outcome: string) =>
  mallet(["run", fixture("finally-status.yaml"), "-p", `outcome=${outcome}`]);

describe("finally after a successful DAG", () => {
  const run = once(() => runWith("pass"));

  test("finally tasks read each task's status and reason, and the aggregate status", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(resultOf(result.statuses[0], "summary", "line")).toBe(
      "build=Succeeded/Succeeded optional=None all=Completed",
    );
  });

  test("a finally task's when can test $(tasks.status)", async () => {
    const result = await run();
    expect(skippedOf(result.statuses[0])).toEqual({
      optional: "When Expressions evaluated to false",
      "on-failure": "When Expressions evaluated to false",
    });
    expect(taskRunOf(result.statuses[0], "on-success")?.condition.reason).toBe("Succeeded");
  });

  test("pipeline results take values from DAG tasks and from finally tasks", async () => {
    const result = await run();
    expect(resultsOf(result.statuses[0])).toEqual({
      version: "1.2.3",
      summary: "build=Succeeded/Succeeded optional=None all=Completed",
    });
  });
});

describe("finally after a failed DAG", () => {
  const run = once(() => runWith("fail"));

  test("the run fails but every finally task is considered", async () => {
    const result = await run();
    expect(result.exitCode).toBe(1);
    expect(result.statuses[0]?.condition.reason).toBe("Failed");
    expect(resultOf(result.statuses[0], "summary", "line")).toBe(
      "build=Failed/Failed optional=None all=Failed",
    );
  });

  test("the on-failure task runs and the on-success task is skipped", async () => {
    const result = await run();
    expect(taskRunOf(result.statuses[0], "on-failure")?.condition.reason).toBe("Succeeded");
    expect(skippedOf(result.statuses[0])["on-success"]).toBe("When Expressions evaluated to false");
  });

  test("a result written before the failure still reaches the pipeline results", async () => {
    const result = await run();
    expect(resultsOf(result.statuses[0]).version).toBe("1.2.3");
  });
});

describe("finally task failures", () => {
  test("a failing finally task fails the run even when the DAG succeeded", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: ok
        taskSpec: {steps: [{image: localhost/standin/busybox, script: "true"}]}
    finally:
      - name: broken
        taskSpec: {steps: [{name: x, image: localhost/standin/busybox, script: exit 2}]}
`);
    expect(result.exitCode).toBe(1);
    expect(result.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0",
    });
  });

  test("a pipeline result whose producer was skipped is left out", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    results:
      - {name: kept, value: $(tasks.ran.results.r)}
      - {name: dropped, value: $(tasks.skipped.results.r)}
    tasks:
      - name: ran
        taskSpec:
          results: [{name: r}]
          steps: [{image: localhost/standin/busybox, script: "printf yes > $(results.r.path)"}]
      - name: skipped
        when: [{input: a, operator: in, values: [b]}]
        taskSpec:
          results: [{name: r}]
          steps: [{image: localhost/standin/busybox, script: "printf no > $(results.r.path)"}]
`);
    expect(result.exitCode).toBe(0);
    expect(resultsOf(result.statuses[0])).toEqual({ kept: "yes" });
  });
});

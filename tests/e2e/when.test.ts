import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, runYaml } from "../helpers/mallet.ts";
import { once, skippedOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

describe("when expressions on pipeline tasks", () => {
  const run = once(() => mallet(["run", fixture("when-skips.yaml")]));

  test("a run with skipped tasks and no failure is Completed and exits 0", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(result.statuses[0]?.condition).toEqual({
      status: "True",
      reason: "Completed",
      message: "Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 3",
    });
  });

  test("a false when skips the task; consumers of its results and their dependants follow", async () => {
    const result = await run();
    expect(skippedOf(result.statuses[0])).toEqual({
      deploy: "When Expressions evaluated to false",
      verify: "Results were missing",
      audit: "Parent Tasks were skipped",
    });
  });

  test("a task that only runs after a when-skipped task still runs", async () => {
    const result = await run();
    expect(taskRunOf(result.statuses[0], "notify")?.condition.reason).toBe("Succeeded");
  });

  test("when inputs may be task results and every expression must hold", async () => {
    const result = await run();
    expect(taskRunOf(result.statuses[0], "gated")?.condition.reason).toBe("Succeeded");
    expect(result.stdout).toContain("[gated : unnamed-0] gated ran");
  });

  test("when values take an array param with [*]: an input among its items runs the task", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  params: [{name: allowed, value: [prod, canary]}]
  pipelineSpec:
    params: [{name: allowed, type: array}]
    tasks:
      - name: deploy
        when: [{input: canary, operator: in, values: ["$(params.allowed[*])"]}]
        taskSpec:
          steps: [{image: localhost/standin/busybox, script: echo deployed}]
      - name: hold
        when: [{input: canary, operator: notin, values: ["$(params.allowed[*])"]}]
        taskSpec:
          steps: [{image: localhost/standin/busybox, script: echo held}]
`);
    expect(result.exitCode).toBe(0);
    expect(taskRunOf(result.statuses[0], "deploy")?.condition.reason).toBe("Succeeded");
    expect(skippedOf(result.statuses[0])).toEqual({ hold: "When Expressions evaluated to false" });
  });
});

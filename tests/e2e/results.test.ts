import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once, resultsOf, taskRunOf } from "../helpers/status.ts";

const BUSYBOX = "localhost/standin/busybox";
setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

/** A TaskRun `t` with the given results declarations and one script step. */
function resultTask(results: string, script: string): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    results: ${results}
    steps:
      - name: write
        image: ${BUSYBOX}
        script: |
${script
  .trim()
  .split("\n")
  .map((line) => `          ${line}`)
  .join("\n")}
`;
}

describe("results between tasks", () => {
  const flow = once(() => mallet(["run", fixture("results-flow.yaml")]));

  test("strings keep trailing newlines and spaces; arrays and objects keep their shape", async () => {
    const run = await flow();
    expect(run.exitCode).toBe(0);
    const status = run.statuses[0];
    expect(resultOf(status, "produce", "line")).toBe("with newline\n");
    expect(resultOf(status, "produce", "spaced")).toBe("  two  spaces  ");
    expect(resultOf(status, "produce", "items")).toEqual(["a", "b c", "d"]);
    expect(resultOf(status, "produce", "meta")).toEqual({ owner: "team a", tier: "1" });
    expect(resultOf(status, "consume", "echoed")).toBe("with newline\n|[  two  spaces  ]|3:b c|1");
    expect(resultsOf(status)).toEqual({
      echoed: "with newline\n|[  two  spaces  ]|3:b c|1",
      "second-item": "b c",
      "all-items": ["a", "b c", "d"],
      owner: "team a",
    });
  });

  test("a result consumer starts after its producer finished, without runAfter", async () => {
    const run = await flow();
    const produced = taskRunOf(run.statuses[0], "produce")?.completionTime;
    const consumed = taskRunOf(run.statuses[0], "consume")?.startTime;
    expect(produced).toBeString();
    expect(consumed).toBeString();
    expect(Date.parse(consumed as string)).toBeGreaterThanOrEqual(Date.parse(produced as string));
  });
});

describe("result validation", () => {
  test("an array result that is not a JSON array fails the TaskRun (TaskRunValidationFailed)", async () => {
    const run = await runYaml(
      resultTask("[{name: list, type: array}]", "printf 'not json' > $(results.list.path)"),
    );
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition.reason).toBe("TaskRunValidationFailed");
    expect(run.statuses[0]?.condition.message).toContain('"list" is declared array');
  });

  test("an object result missing a declared key fails the TaskRun (TaskRunValidationFailed)", async () => {
    const run = await runYaml(
      resultTask(
        "[{name: obj, type: object, properties: {a: {type: string}, b: {type: string}}}]",
        `printf '{"a": "1"}' > $(results.obj.path)`,
      ),
    );
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition.reason).toBe("TaskRunValidationFailed");
    expect(run.statuses[0]?.condition.message).toContain('"obj" misses keys b');
  });

  test("results over 4096 bytes fail the TaskRun (TaskRunResultLargerThanAllowedLimit)", async () => {
    const run = await runYaml(
      resultTask("[{name: big}]", "head -c 5000 /dev/zero | tr '\\\\0' x > $(results.big.path)"),
    );
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "TaskRunResultLargerThanAllowedLimit",
      message: "Termination message is above max allowed size 4096, caused by large task result.",
    });
  });

  test("results of exactly 4096 bytes are accepted", async () => {
    const run = await runYaml(
      resultTask("[{name: big}]", "head -c 4096 /dev/zero | tr '\\\\0' x > $(results.big.path)"),
    );
    expect(run.exitCode).toBe(0);
    expect(String(resultOf(run.statuses[0], "t", "big")).length).toBe(4096);
  });

  test("results written before a failing step are still reported", async () => {
    const run = await runYaml(
      resultTask("[{name: early}]", "printf done > $(results.early.path)\nexit 5"),
    );
    expect(run.exitCode).toBe(1);
    expect(resultOf(run.statuses[0], "t", "early")).toBe("done");
  });
});

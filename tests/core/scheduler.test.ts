import { describe, expect, test } from "bun:test";
import type { PipelineTask } from "../../src/core/model/pipeline.ts";
import { buildDag } from "../../src/core/pipeline/dag.ts";
import { allDone, decideNext } from "../../src/core/pipeline/scheduler.ts";
import { SkipReason, type TaskState } from "../../src/core/pipeline/state.ts";

const succeeded: TaskState = { state: "succeeded", results: new Map(), reason: "Succeeded" };
const failed: TaskState = { state: "failed", ignored: false, reason: "Failed", results: new Map() };
const whenSkipped: TaskState = { state: "skipped", reason: SkipReason.when };
const parentSkipped: TaskState = { state: "skipped", reason: SkipReason.parentSkipped };
const pending: TaskState = { state: "pending" };
const running: TaskState = { state: "running" };

// parent <- after (runAfter), parent <- consumer (result), after <- grandchild (runAfter)
const tasks: PipelineTask[] = [
  { name: "parent" },
  { name: "after", runAfter: ["parent"] },
  { name: "consumer", params: [{ name: "p", value: "$(tasks.parent.results.r)" }] },
  { name: "grandchild", runAfter: ["after"] },
];
const { dag } = buildDag(tasks);

function decide(states: Record<string, TaskState>, stopping?: SkipReason) {
  return decideNext(dag, new Map(Object.entries(states)), stopping);
}

describe("decideNext", () => {
  test("only tasks whose parents have all ended are decided", () => {
    expect(
      decide({ parent: pending, after: pending, consumer: pending, grandchild: pending }),
    ).toEqual([{ task: "parent", action: "start" }]);
    expect(
      decide({ parent: running, after: pending, consumer: pending, grandchild: pending }),
    ).toEqual([]);
  });

  test("after a success, every child starts", () => {
    expect(
      decide({ parent: succeeded, after: pending, consumer: pending, grandchild: pending }),
    ).toEqual([
      { task: "after", action: "start" },
      { task: "consumer", action: "start" },
    ]);
  });

  test("a when-skipped parent lets runAfter dependants run; result consumers miss results", () => {
    expect(
      decide({ parent: whenSkipped, after: pending, consumer: pending, grandchild: pending }),
    ).toEqual([
      { task: "after", action: "start" },
      { task: "consumer", action: "skip", reason: "Results were missing" },
    ]);
  });

  test("any other skip cascades to every dependant", () => {
    expect(
      decide({ parent: parentSkipped, after: pending, consumer: pending, grandchild: pending }),
    ).toEqual([
      { task: "after", action: "skip", reason: "Parent Tasks were skipped" },
      { task: "consumer", action: "skip", reason: "Parent Tasks were skipped" },
    ]);
    const missing: TaskState = { state: "skipped", reason: SkipReason.missingResults };
    expect(
      decide({ parent: succeeded, after: missing, consumer: succeeded, grandchild: pending }),
    ).toEqual([{ task: "grandchild", action: "skip", reason: "Parent Tasks were skipped" }]);
  });

  test("when stopping, ready tasks are skipped with the stopping reason; waiting ones wait", () => {
    expect(
      decide(
        { parent: failed, after: pending, consumer: pending, grandchild: pending },
        SkipReason.stopping,
      ),
    ).toEqual([
      { task: "after", action: "skip", reason: "PipelineRun was stopping" },
      { task: "consumer", action: "skip", reason: "PipelineRun was stopping" },
    ]);
  });

  test("a failed parent does not by itself skip children (the run's stopping does)", () => {
    expect(
      decide({ parent: failed, after: pending, consumer: pending, grandchild: pending }),
    ).toEqual([
      { task: "after", action: "start" },
      { task: "consumer", action: "start" },
    ]);
  });
});

test.each<[Record<string, TaskState>, boolean]>([
  [{ a: succeeded, b: failed, c: whenSkipped }, true],
  [{ a: succeeded, b: running }, false],
  [{ a: pending }, false],
  [{}, true],
])("allDone(%p) is %p", (states, done) => {
  expect(allDone(new Map(Object.entries(states)))).toBe(done);
});

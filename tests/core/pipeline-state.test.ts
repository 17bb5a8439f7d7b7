import { expect, test } from "bun:test";
import { findResultReferences, findStatusReferences } from "../../src/core/pipeline/references.ts";
import {
  aggregateStatus,
  executionStatus,
  SkipReason,
  type TaskState,
} from "../../src/core/pipeline/state.ts";

const ok: TaskState = { state: "succeeded", results: new Map(), reason: "Succeeded" };
const failed: TaskState = { state: "failed", ignored: false, reason: "Failed", results: new Map() };
const ignored: TaskState = {
  state: "failed",
  ignored: true,
  reason: "FailureIgnored",
  results: new Map(),
};
const skipped: TaskState = { state: "skipped", reason: SkipReason.when };
const running: TaskState = { state: "running" };

test.each<[TaskState, ReturnType<typeof executionStatus>]>([
  [ok, "Succeeded"],
  [failed, "Failed"],
  [ignored, "Failed"],
  [skipped, "None"],
  [running, "None"],
])("$(tasks.<t>.status) of %p is %p", (state, expected) => {
  expect(executionStatus(state)).toBe(expected);
});

test.each<[string, TaskState[], ReturnType<typeof aggregateStatus>]>([
  ["all succeeded", [ok, ok], "Succeeded"],
  ["an ignored failure", [ok, ignored], "Succeeded"],
  ["a failure", [ok, failed, skipped], "Failed"],
  ["a skip", [ok, skipped], "Completed"],
  ["one still running", [ok, running], "None"],
])("$(tasks.status): %s → %s", (_, states, expected) => {
  expect(aggregateStatus(states)).toBe(expected);
});

test("result references are found anywhere in a value tree", () => {
  expect(
    findResultReferences({
      params: [{ value: "$(tasks.a.results.x) and $(tasks.b.results.y[*])" }],
      when: [{ input: "$(tasks['c'].results.z)" }],
      other: ["$(tasks.d.status)", "$(params.p)", 3],
    }),
  ).toEqual([
    { task: "a", result: "x" },
    { task: "b", result: "y" },
    { task: "c", result: "z" },
  ]);
});

test("status references name the tasks whose status is read", () => {
  expect(
    findStatusReferences(["$(tasks.build.status)", "$(tasks.status)", "$(tasks.t.reason)"]),
  ).toEqual(["build"]);
});

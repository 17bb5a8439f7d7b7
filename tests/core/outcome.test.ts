import { describe, expect, test } from "bun:test";
import type { ParamValue } from "../../src/core/model/common.ts";
import { pipelineCondition, pipelineResults } from "../../src/core/pipeline/outcome.ts";
import { SkipReason, type TaskState } from "../../src/core/pipeline/state.ts";
import type { Condition } from "../../src/core/status.ts";

const ok: TaskState = { state: "succeeded", results: new Map(), reason: "Succeeded" };
const failed: TaskState = { state: "failed", ignored: false, reason: "Failed", results: new Map() };
const ignored: TaskState = {
  state: "failed",
  ignored: true,
  reason: "FailureIgnored",
  results: new Map(),
};
const skipped: TaskState = { state: "skipped", reason: SkipReason.when };

function condition(
  states: TaskState[],
  more: { timedOut?: string; cancelled?: boolean } = {},
): Condition {
  return pipelineCondition({
    name: "pr",
    states: new Map(states.map((state, index) => [`t${index}`, state])),
    timedOut: more.timedOut,
    cancelled: more.cancelled ?? false,
  });
}

describe("pipelineCondition", () => {
  test.each<[string, TaskState[], { timedOut?: string; cancelled?: boolean }, Condition]>([
    [
      "all succeeded",
      [ok, ok],
      {},
      {
        status: "True",
        reason: "Succeeded",
        message: "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
      },
    ],
    [
      "some skipped",
      [ok, skipped, skipped],
      {},
      {
        status: "True",
        reason: "Completed",
        message: "Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 2",
      },
    ],
    [
      "an ignored failure still succeeds",
      [ok, ignored],
      {},
      {
        status: "True",
        reason: "Succeeded",
        message: "Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0",
      },
    ],
    [
      "a failure",
      [ok, failed, skipped],
      {},
      {
        status: "False",
        reason: "Failed",
        message: "Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1",
      },
    ],
    [
      "a timeout wins over failures",
      [failed],
      { timedOut: "1m0s" },
      {
        status: "False",
        reason: "PipelineRunTimeout",
        message: 'PipelineRun "pr" failed to finish within "1m0s"',
      },
    ],
    [
      "cancellation wins over everything",
      [ok, failed],
      { timedOut: "1m0s", cancelled: true },
      { status: "False", reason: "Cancelled", message: 'PipelineRun "pr" was cancelled' },
    ],
    [
      "no tasks",
      [],
      {},
      {
        status: "True",
        reason: "Succeeded",
        message: "Tasks Completed: 0 (Failed: 0, Cancelled 0), Skipped: 0",
      },
    ],
  ])("%s", (_, states, more, expected) => {
    expect(condition(states, more)).toEqual(expected);
  });
});

test("pipeline results are built from task results; unresolved ones are left out", () => {
  const vars = new Map<string, ParamValue>([
    ["tasks.build.results.image", "img"],
    ["tasks.build.results.tags", ["a", "b"]],
    ["finally.report.results.url", "http://r"],
  ]);
  expect(
    pipelineResults(
      [
        { name: "image", value: "$(tasks.build.results.image)" },
        { name: "tags", value: "$(tasks.build.results.tags[*])" },
        { name: "pair", value: ["$(tasks.build.results.image)", "$(finally.report.results.url)"] },
        { name: "obj", value: { image: "$(tasks.build.results.image)" } },
        { name: "skipped", value: "$(tasks.deploy.results.url)" },
        { name: "partly", value: ["$(tasks.build.results.image)", "$(finally.x.results.y)"] },
      ],
      vars,
    ),
  ).toEqual([
    { name: "image", value: "img" },
    { name: "tags", value: ["a", "b"] },
    { name: "pair", value: ["img", "http://r"] },
    { name: "obj", value: { image: "img" } },
  ]);
});

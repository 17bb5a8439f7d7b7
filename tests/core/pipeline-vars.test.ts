import { expect, test } from "bun:test";
import type { ParamValue } from "../../src/core/model/common.ts";
import { SkipReason, type TaskState } from "../../src/core/pipeline/state.ts";
import { pipelineVars } from "../../src/core/pipeline/vars.ts";

const tasks = new Map<string, TaskState>([
  [
    "build",
    {
      state: "succeeded",
      reason: "Succeeded",
      results: new Map<string, ParamValue>([
        ["image", "img"],
        ["digests", ["d1", "d2"]],
      ]),
    },
  ],
  [
    "lint",
    {
      state: "failed",
      ignored: true,
      reason: "FailureIgnored",
      results: new Map([["report", "r"]]),
    },
  ],
  ["deploy", { state: "skipped", reason: SkipReason.when }],
]);

function vars(withStatus: boolean) {
  return Object.fromEntries(
    pipelineVars({
      params: new Map<string, ParamValue>([["msg", "hi"]]),
      context: new Map([["context.pipelineRun.name", "pr"]]),
      tasks,
      matrixLengths: new Map([["build", 2]]),
      boundWorkspaces: new Map([
        ["src", true],
        ["cache", false],
      ]),
      withStatus,
    }),
  );
}

test("DAG tasks see params, context, workspaces, results and matrix lengths", () => {
  expect(vars(false)).toEqual({
    "context.pipelineRun.name": "pr",
    "params.msg": "hi",
    "workspaces.src.bound": "true",
    "workspaces.cache.bound": "false",
    "tasks.build.results.image": "img",
    "tasks.build.results.digests": ["d1", "d2"],
    "tasks.build.matrix.length": "2",
    "tasks.build.matrix.digests.length": "2",
    "tasks.lint.results.report": "r",
  });
});

test("finally tasks also see each task's status and reason and the aggregate status", () => {
  expect(vars(true)).toMatchObject({
    "tasks.build.status": "Succeeded",
    "tasks.build.reason": "Succeeded",
    "tasks.lint.status": "Failed",
    "tasks.lint.reason": "FailureIgnored",
    "tasks.deploy.status": "None",
    "tasks.deploy.reason": "Skipped",
    "tasks.status": "Completed",
  });
});

import { describe, expect, test } from "bun:test";
import type { ParamValue } from "../../src/core/model/common.ts";
import type { PipelineTask } from "../../src/core/model/pipeline.ts";
import type { WorkspaceBinding } from "../../src/core/model/runs.ts";
import { mapWorkspaces, preparePipelineTask } from "../../src/core/pipeline/prepare-task.ts";

const vars = new Map<string, ParamValue>([
  ["params.msg", "from-pipeline"],
  ["params.other", "other-value"],
  ["params.list", ["a", "b"]],
  ["params.branch", "main"],
  ["tasks.build.results.image", "img@sha256:1"],
  ["context.pipelineRun.name", "pr"],
]);

describe("preparePipelineTask", () => {
  test("params are substituted, arrays expanded whole", () => {
    const task: PipelineTask = {
      name: "t",
      taskRef: { name: "x" },
      params: [
        { name: "image", value: "$(tasks.build.results.image)" },
        { name: "items", value: ["$(params.list[*])", "c"] },
        { name: "all", value: "$(params.list[*])" },
      ],
    };
    expect(preparePipelineTask(task, vars, [])).toEqual({
      kind: "run",
      task: {
        params: [
          { name: "image", value: "img@sha256:1" },
          { name: "items", value: ["a", "b", "c"] },
          { name: "all", value: ["a", "b"] },
        ],
        taskSpec: undefined,
        workspaces: [],
        combinations: undefined,
      },
    });
  });

  test("a reference to a result that is not there skips the task", () => {
    const task: PipelineTask = {
      name: "t",
      params: [{ name: "p", value: "$(tasks.lint.results.report)" }],
    };
    expect(preparePipelineTask(task, vars, [])).toEqual({
      kind: "skip",
      reason: "Results were missing",
    });
  });

  test("a false when skips the task and reports the substituted expression", () => {
    const task: PipelineTask = {
      name: "t",
      when: [
        { input: "$(params.branch)", operator: "in", values: ["main"] },
        { input: "$(params.branch)", operator: "notin", values: ["$(params.branch)"] },
      ],
    };
    expect(preparePipelineTask(task, vars, [])).toEqual({
      kind: "skip",
      reason: "When Expressions evaluated to false",
      when: { input: "main", operator: "notin", values: ["main"] },
    });
  });

  test("a matrix param that expands to nothing skips the task", () => {
    const empty = new Map(vars).set("params.none", []);
    const task: PipelineTask = {
      name: "t",
      matrix: { params: [{ name: "x", value: ["$(params.none[*])"] }] },
    };
    expect(preparePipelineTask(task, empty, [])).toEqual({
      kind: "skip",
      reason: "Matrix Parameters have an empty array",
    });
  });

  test("the matrix is substituted and expanded", () => {
    const task: PipelineTask = {
      name: "t",
      matrix: { params: [{ name: "x", value: ["$(params.list[*])"] }] },
    };
    const prep = preparePipelineTask(task, vars, []);
    expect(prep.kind === "run" && prep.task.combinations).toEqual([
      { params: [{ name: "x", value: "a" }] },
      { params: [{ name: "x", value: "b" }] },
    ]);
  });

  test("an index out of range fails the task with ParamArrayIndexingInvalid", () => {
    const task: PipelineTask = { name: "t", params: [{ name: "p", value: "$(params.list[2])" }] };
    expect(preparePipelineTask(task, vars, [])).toEqual({
      kind: "fail",
      reason: "ParamArrayIndexingInvalid",
      message: 'index 2 is out of range for "params.list", which has 2 items',
    });
  });

  test("more than 256 combinations fail the task", () => {
    const values = Array.from({ length: 17 }, (_, index) => String(index));
    const task: PipelineTask = {
      name: "big",
      matrix: {
        params: [
          { name: "a", value: values },
          { name: "b", value: values },
        ],
      },
    };
    expect(preparePipelineTask(task, vars, [])).toEqual({
      kind: "fail",
      reason: "PipelineValidationFailed",
      message: 'matrix of task "big" has 289 combinations, more than the limit of 256',
    });
  });

  test("an embedded spec: the innermost param scope wins, other pipeline params propagate", () => {
    const task: PipelineTask = {
      name: "t",
      params: [{ name: "passed", value: "$(params.other)" }],
      taskSpec: {
        metadata: { labels: { a: "b" } },
        params: [{ name: "msg", default: "own-default" }, { name: "passed" }],
        steps: [
          {
            image: "alpine",
            args: ["$(params.msg)", "$(params.passed)", "$(params.other)", "$(params.list[*])"],
          },
        ],
      },
    };
    const prep = preparePipelineTask(task, vars, []);
    expect(prep.kind === "run" && prep.task.taskSpec).toEqual({
      params: [{ name: "msg", default: "own-default" }, { name: "passed" }],
      steps: [
        { image: "alpine", args: ["$(params.msg)", "$(params.passed)", "other-value", "a", "b"] },
      ],
    });
    expect(prep.kind === "run" && prep.task.params).toEqual([
      { name: "passed", value: "other-value" },
    ]);
  });

  test("an embedded spec gets implicit declarations for the run's workspaces it names", () => {
    const run: WorkspaceBinding[] = [
      { name: "shared", emptyDir: {} },
      { name: "unused", emptyDir: {} },
    ];
    const task: PipelineTask = {
      name: "t",
      taskSpec: {
        steps: [
          { image: "alpine", script: "ls $(workspaces.shared.path) $(workspaces.nope.path)" },
        ],
      },
    };
    const prep = preparePipelineTask(task, vars, run);
    expect(prep.kind === "run" && [prep.task.taskSpec?.workspaces, prep.task.workspaces]).toEqual([
      [{ name: "shared" }],
      [{ name: "shared", emptyDir: {} }],
    ]);
  });
});

describe("mapWorkspaces", () => {
  const run: WorkspaceBinding[] = [
    { name: "shared", persistentVolumeClaim: { claimName: "pvc" }, subPath: "runs/1/" },
    { name: "plain", emptyDir: {} },
  ];

  test.each<[string, PipelineTask["workspaces"], WorkspaceBinding[]]>([
    [
      "a task workspace bound to a run workspace, subPaths joined",
      [{ name: "src", workspace: "shared", subPath: "/checkout" }],
      [{ name: "src", persistentVolumeClaim: { claimName: "pvc" }, subPath: "runs/1/checkout" }],
    ],
    [
      "the run's subPath alone",
      [{ name: "src", workspace: "shared" }],
      [{ name: "src", persistentVolumeClaim: { claimName: "pvc" }, subPath: "runs/1/" }],
    ],
    [
      "the task's subPath alone",
      [{ name: "out", workspace: "plain", subPath: "out" }],
      [{ name: "out", emptyDir: {}, subPath: "out" }],
    ],
    [
      "without `workspace` the name is used",
      [{ name: "plain" }],
      [{ name: "plain", emptyDir: {} }],
    ],
    ["an unknown run workspace binds nothing", [{ name: "x", workspace: "ghost" }], []],
  ])("%s", (_, workspaces, expected) => {
    expect(
      mapWorkspaces({ name: "t", ...(workspaces ? { workspaces } : {}) }, undefined, run),
    ).toEqual(expected);
  });

  test("an embedded spec's declared but unbound workspace is bound by name", () => {
    const spec = { workspaces: [{ name: "plain" }, { name: "missing" }], steps: [] };
    expect(mapWorkspaces({ name: "t" }, spec, run)).toEqual([{ name: "plain", emptyDir: {} }]);
  });
});

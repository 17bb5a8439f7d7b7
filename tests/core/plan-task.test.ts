import { describe, expect, test } from "bun:test";
import type { Param } from "../../src/core/model/common.ts";
import type { WorkspaceBinding } from "../../src/core/model/runs.ts";
import type { StepActionSpec, TaskSpec } from "../../src/core/model/task.ts";
import { PlanError, planTask, type TaskPlanInput } from "../../src/core/task/plan-task.ts";
import type { VolumeSource } from "../../src/core/task/volumes.ts";
import { caught } from "../helpers/caught.ts";

const actions: Record<string, StepActionSpec> = {
  greet: {
    image: "alpine",
    params: [
      { name: "who", default: "nobody" },
      { name: "words", type: "array", default: ["hi"] },
    ],
    command: ["echo"],
    args: ["$(params.words[*])", "$(params.who)"],
    results: [{ name: "said" }],
    script: undefined,
  },
};

function input(spec: TaskSpec, more: Partial<TaskPlanInput> = {}): TaskPlanInput {
  return {
    taskRunName: "tr",
    taskName: "task",
    spec,
    params: [],
    workspaces: [],
    context: new Map([["context.taskRun.name", "tr"]]),
    lookupData: (kind, name) => (kind === "ConfigMap" && name === "cm" ? { k: "v" } : undefined),
    lookupStepAction: (ref) => actions[ref.name ?? ""],
    runAsUser: undefined,
    podVolumes: [],
    credentials: [],
    ...more,
  };
}

function plan(spec: TaskSpec, more: Partial<TaskPlanInput> = {}) {
  return planTask(input(spec, more));
}

describe("planTask", () => {
  test("a plain step, planned field by field", () => {
    const result = plan(
      {
        params: [{ name: "msg", default: "hi" }],
        steps: [{ name: "say", image: "alpine", command: ["echo"], args: ["$(params.msg)"] }],
      },
      { params: [{ name: "msg", value: "hello" }] },
    );
    expect(result).toEqual({
      taskRunName: "tr",
      steps: [
        {
          containerName: "step-say",
          name: "say",
          image: "alpine",
          command: ["echo"],
          args: ["hello"],
          script: undefined,
          env: [],
          workingDir: undefined,
          mounts: [],
          user: undefined,
          imagePullPolicy: undefined,
          index: 0,
          onError: "stopAndFail",
          timeoutMs: undefined,
          when: [],
          results: [],
          stdoutPath: undefined,
          stderrPath: undefined,
        },
      ],
      sidecars: [],
      volumes: new Map(),
      results: [],
      credentials: [],
    });
  });

  test("unnamed steps are unnamed-<index>; paths of results and exit codes are substituted", () => {
    const result = plan({
      results: [{ name: "digest" }],
      steps: [
        { image: "alpine", script: "echo sha > $(results.digest.path)" },
        {
          name: "check",
          image: "alpine",
          script: "cat $(steps.step-unnamed-0.exitCode.path) $(steps.step-check.exitCode.path)",
        },
        { image: "alpine", args: ["$(context.taskRun.name)", "$(credentials.path)"] },
      ],
    });
    expect(result.steps.map((step) => [step.containerName, step.name, step.index])).toEqual([
      ["step-unnamed-0", "unnamed-0", 0],
      ["step-check", "check", 1],
      ["step-unnamed-2", "unnamed-2", 2],
    ]);
    expect(result.steps[0]?.script).toBe("echo sha > /tekton/results/digest");
    expect(result.steps[1]?.script).toBe(
      "cat /tekton/steps/step-unnamed-0/exitCode /tekton/steps/step-check/exitCode",
    );
    expect(result.steps[2]?.args).toEqual(["tr", "/tekton/creds"]);
  });

  test("a step's own results get $(step.results.<r>.path)", () => {
    const result = plan({
      steps: [
        {
          name: "make",
          image: "alpine",
          results: [{ name: "out" }],
          script: "echo x > $(step.results.out.path)",
        },
      ],
    });
    expect(result.steps[0]?.script).toBe("echo x > /tekton/steps/step-make/results/out");
  });

  test("workspace variables: path and bound, and an optional unbound workspace", () => {
    const spec: TaskSpec = {
      workspaces: [
        { name: "src" },
        { name: "cache", mountPath: "/cache", readOnly: true },
        { name: "extra", optional: true },
      ],
      steps: [
        {
          name: "s",
          image: "alpine",
          args: [
            "$(workspaces.src.path)",
            "$(workspaces.src.bound)",
            "$(workspaces.cache.path)",
            "$(workspaces.extra.path)",
            "$(workspaces.extra.bound)",
            "$(workspaces.cache.claim)",
            "$(workspaces.src.volume)",
          ],
        },
      ],
    };
    const workspaces: WorkspaceBinding[] = [
      { name: "src", emptyDir: {}, subPath: "sub" },
      { name: "cache", persistentVolumeClaim: { claimName: "pvc" } },
    ];
    const result = plan(spec, { workspaces });
    expect(result.steps[0]?.args).toEqual([
      "/workspace/src",
      "true",
      "/cache",
      "",
      "false",
      "pvc",
      "ws-src",
    ]);
    expect(result.steps[0]?.mounts).toEqual([
      { volume: "ws-src", target: "/workspace/src", readOnly: false, subPath: "sub" },
      { volume: "ws-cache", target: "/cache", readOnly: true, subPath: undefined },
    ]);
    expect(result.volumes).toEqual(
      new Map([
        ["ws-src", { type: "emptyDir" }],
        ["ws-cache", { type: "claim", claim: "pvc" }],
      ]),
    );
  });

  test("a workspace named in a step's workspaces is mounted only in that step, at its path", () => {
    const result = plan(
      {
        workspaces: [{ name: "secret" }, { name: "shared" }],
        steps: [
          { name: "a", image: "alpine", workspaces: [{ name: "secret", mountPath: "/private" }] },
          { name: "b", image: "alpine" },
        ],
        sidecars: [{ name: "db", image: "postgres" }],
      },
      {
        workspaces: [
          { name: "secret", emptyDir: {} },
          { name: "shared", emptyDir: {} },
        ],
      },
    );
    const targets = (mounts: Array<{ target: string }> | undefined) =>
      (mounts ?? []).map((mount) => mount.target);
    expect(targets(result.steps[0]?.mounts)).toEqual(["/private", "/workspace/shared"]);
    expect(targets(result.steps[1]?.mounts)).toEqual(["/workspace/shared"]);
    expect(targets(result.sidecars[0]?.mounts)).toEqual(["/workspace/shared"]);
  });

  test("a StepAction is inlined with the params the step passes, resolved against the task", () => {
    const result = plan(
      {
        params: [{ name: "names", type: "array" }],
        steps: [
          {
            name: "hello",
            ref: { name: "greet" },
            params: [
              { name: "who", value: "$(params.names[1])" },
              { name: "words", value: ["$(params.names[*])", "!"] },
            ],
          },
          { name: "default", ref: { name: "greet" } },
        ],
      },
      { params: [{ name: "names", value: ["ann", "bob"] }] },
    );
    expect(result.steps.map((step) => [step.image, step.command, step.args])).toEqual([
      ["alpine", ["echo"], ["ann", "bob", "!", "bob"]],
      ["alpine", ["echo"], ["hi", "nobody"]],
    ]);
    expect(result.steps[0]?.results).toEqual([{ name: "said" }]);
  });

  test("the stepTemplate is substituted and merged under each step", () => {
    const result = plan(
      {
        params: [{ name: "level", default: "info" }],
        stepTemplate: { image: "alpine", env: [{ name: "LEVEL", value: "$(params.level)" }] },
        steps: [{ name: "a", args: ["$(LEVEL)"] }],
      },
      { params: [{ name: "level", value: "debug" }] },
    );
    expect(result.steps[0]).toMatchObject({
      image: "alpine",
      env: [["LEVEL", "debug"]],
      args: ["debug"],
    });
  });

  test("timeouts, onError, when, stdoutConfig and the run's user", () => {
    const result = plan(
      {
        steps: [
          {
            name: "a",
            image: "alpine",
            timeout: "1m30s",
            onError: "continue",
            when: [{ input: "a", operator: "in", values: ["a"] }],
            stdoutConfig: { path: "/workspace/out" },
            securityContext: { runAsUser: 1000, runAsGroup: 10 },
          },
          { name: "b", image: "alpine", timeout: "0" },
        ],
      },
      { runAsUser: "2000" },
    );
    expect(result.steps[0]).toMatchObject({
      timeoutMs: 90_000,
      onError: "continue",
      when: [{ input: "a", operator: "in", values: ["a"] }],
      stdoutPath: "/workspace/out",
      user: "1000:10",
    });
    expect(result.steps[1]).toMatchObject({ timeoutMs: undefined, user: "2000" });
  });

  test("a sidecar with an exec readiness probe", () => {
    const result = plan({
      steps: [{ name: "s", image: "alpine" }],
      sidecars: [
        {
          name: "db",
          image: "postgres",
          readinessProbe: { exec: { command: ["pg_isready"] }, periodSeconds: 2 },
        },
        { image: "redis" },
      ],
    });
    expect(result.sidecars.map((sidecar) => [sidecar.containerName, sidecar.readiness])).toEqual([
      ["sidecar-db", { command: ["pg_isready"], periodMs: 2000 }],
      ["sidecar-unnamed-1", undefined],
    ]);
  });

  test("task volumes and podTemplate volumes become planned volumes", () => {
    const result = plan(
      {
        params: [{ name: "cm", default: "cm" }],
        volumes: [{ name: "conf", configMap: { name: "$(params.cm)" } }],
        steps: [
          { name: "s", image: "alpine", volumeMounts: [{ name: "conf", mountPath: "/etc/conf" }] },
        ],
      },
      { podVolumes: [{ name: "scratch", emptyDir: {} }] },
    );
    expect(result.volumes).toEqual(
      new Map<string, VolumeSource>([
        ["scratch", { type: "emptyDir" }],
        ["conf", { type: "files", files: [{ path: "k", content: "v", mode: undefined }] }],
      ]),
    );
    expect(result.steps[0]?.mounts).toEqual([
      { volume: "conf", target: "/etc/conf", readOnly: false, subPath: undefined },
    ]);
  });

  test.each<[string, TaskSpec, Param[], Partial<TaskPlanInput>, string, string]>([
    [
      "a missing param",
      { params: [{ name: "a" }, { name: "b" }], steps: [{ image: "alpine" }] },
      [],
      {},
      "TaskRunValidationFailed",
      'missing value for param "a", "b"',
    ],
    [
      "a param of the wrong type",
      { params: [{ name: "a", type: "array" }], steps: [{ image: "alpine" }] },
      [{ name: "a", value: "x" }],
      {},
      "InvalidParamValue",
      'param "a" is declared array but got string',
    ],
    [
      "a step without an image",
      { steps: [{ name: "x", script: "true" }] },
      [],
      {},
      "TaskRunValidationFailed",
      "step-x has no image",
    ],
    [
      "an unbound workspace",
      { workspaces: [{ name: "src" }], steps: [{ image: "alpine" }] },
      [],
      {},
      "TaskRunValidationFailed",
      'workspace "src" is declared but not bound',
    ],
    [
      "a mount of an undeclared volume",
      {
        steps: [{ name: "s", image: "alpine", volumeMounts: [{ name: "nope", mountPath: "/x" }] }],
      },
      [],
      {},
      "TaskRunValidationFailed",
      'step-s mounts volume "nope", which the Task does not declare',
    ],
    [
      "an unknown StepAction",
      { steps: [{ ref: { name: "nope" } }] },
      [],
      {},
      "TaskRunResolutionFailed",
      'StepAction "nope" was not found',
    ],
    [
      "a missing ConfigMap for a volume",
      { volumes: [{ name: "v", configMap: { name: "nope" } }], steps: [{ image: "alpine" }] },
      [],
      {},
      "CreateContainerConfigError",
      'ConfigMap "nope" was not found among the documents given',
    ],
  ])("%s is a PlanError", (_, spec, params, more, reason, message) => {
    const error = caught(() => plan(spec, { params, ...more }));
    expect(error).toBeInstanceOf(PlanError);
    expect({ reason: (error as PlanError).reason, message: (error as PlanError).message }).toEqual({
      reason,
      message,
    });
  });
});

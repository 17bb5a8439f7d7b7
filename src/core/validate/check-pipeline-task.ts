import type { Param } from "../model/common.ts";
import type { Matrix, PipelineTask } from "../model/pipeline.ts";
import { MAX_MATRIX_COMBINATIONS } from "../pipeline/matrix.ts";
import { checkParamBinding, checkWorkspaceBinding, type ParamBinding } from "./check-bindings.ts";
import { reportDuplicates } from "./check-declarations.ts";
import { checkSites, mergeParams, type ParamScope, paramsFromValues } from "./check-references.ts";
import { checkRef, checkWhenList } from "./check-steps.ts";
import { checkTaskSpec } from "./check-task.ts";
import type { Scope } from "./diagnostic.ts";
import { SiteList } from "./expressions.ts";
import { type Lookup, localRefName } from "./lookup.ts";
import { isDnsLabel } from "./names.ts";

/** What a pipeline makes visible to its tasks. */
export interface PipelineEnv {
  params: ParamScope;
  workspaces: ReadonlySet<string>;
  lookup: Lookup;
}

const ON_ERROR = ["continue", "stopAndFail"];

/** Checks one pipeline task (of tasks or finally); `at` is where it sits. */
export function checkPipelineTask(task: PipelineTask, at: Scope, env: PipelineEnv): void {
  if (!isDnsLabel(task.name)) {
    at.report(
      "name-format",
      ["name"],
      `pipeline task name "${task.name}" is not a DNS-1123 label (lower case letters, digits and "-", at most 63)`,
    );
  }
  const custom = checkRefOrSpec(task, at);
  if (!custom) checkTaskTarget(task, at, env);
  checkOnError(task, at);
  reportDuplicates(task.params ?? [], at.at("params"), "duplicate-param", "param");
  checkMatrix(task, at);
  checkWhenList(task.when, at);
  checkTaskWorkspaces(task, at, env);
  // A param value may name the task's own workspaces: it is substituted inside the Task.
  const workspaces = new Set([...env.workspaces, ...(task.workspaces ?? []).map((w) => w.name)]);
  checkSites(pipelineTaskSites(task).sites, { params: env.params, workspaces, pipeline: true }, at);
}

function checkTaskWorkspaces(task: PipelineTask, at: Scope, env: PipelineEnv): void {
  const bindings = task.workspaces ?? [];
  reportDuplicates(bindings, at.at("workspaces"), "duplicate-workspace", "workspace binding");
  bindings.forEach((binding, i) => {
    const name = binding.workspace ?? binding.name;
    if (env.workspaces.has(name)) return;
    const message = `pipeline task "${task.name}" binds workspace "${name}", which the pipeline does not declare`;
    at.report(
      "workspace-undeclared",
      ["workspaces", i, binding.workspace ? "workspace" : "name"],
      message,
    );
  });
}

/** Reports a task without exactly one of taskRef and taskSpec; true for a custom task. */
function checkRefOrSpec(task: PipelineTask, at: Scope): boolean {
  const fields = ["taskRef", "taskSpec", "pipelineRef", "pipelineSpec"] as const;
  const given = fields.filter((field) => task[field] !== undefined);
  if (given.length === 0) {
    at.report("ref-or-spec", ["name"], `pipeline task "${task.name}" needs taskRef or taskSpec`);
  } else if (given.length > 1) {
    const message = `pipeline task "${task.name}" takes exactly one of ${given.join(", ")}`;
    at.report("ref-or-spec", [given[1] as string], message);
  }
  for (const field of ["pipelineRef", "pipelineSpec"] as const) {
    if (!task[field]) continue;
    const message = `${field} in a pipeline task needs enable-api-fields: alpha on a cluster`;
    at.report("feature-flag", [field], message);
  }
  return checkCustomTask(task, at);
}

// A taskRef of another kind, or a taskSpec with apiVersion and kind but no steps, is a
// custom task run by another controller; an embedded Task with steps may not set them.
function checkCustomTask(task: PipelineTask, at: Scope): boolean {
  const { taskRef: ref, taskSpec: spec } = task;
  if (spec && spec.steps.length > 0) {
    for (const field of ["apiVersion", "kind"] as const) {
      if (spec[field] === undefined) continue;
      const message = `taskSpec.${field} cannot be set together with taskSpec.steps`;
      at.report("custom-task", ["taskSpec", field], message);
    }
    return false;
  }
  const taskKinds = ["Task", "ClusterTask", undefined];
  const refCustom =
    ref !== undefined && (ref.apiVersion !== undefined || !taskKinds.includes(ref.kind));
  const specCustom =
    spec !== undefined && (spec.apiVersion !== undefined || spec.kind !== undefined);
  if (refCustom) checkCustom(ref.kind, ref.apiVersion, "taskRef", at);
  if (specCustom) checkCustom(spec.kind, spec.apiVersion, "taskSpec", at);
  return refCustom || specCustom;
}

function checkCustom(
  kind: string | undefined,
  apiVersion: string | undefined,
  field: string,
  at: Scope,
): void {
  if (!kind) at.report("custom-task", [field], `a custom task ${field} needs kind`);
  if (apiVersion === undefined) {
    at.report("custom-task", [field], `a custom task ${field} needs apiVersion`);
  } else if (!/^[^/]+\/[^/]+$/.test(apiVersion)) {
    at.report(
      "custom-task",
      [field, "apiVersion"],
      `apiVersion "${apiVersion}" must be "group/version"`,
    );
  }
}

function checkTaskTarget(task: PipelineTask, at: Scope, env: PipelineEnv): void {
  if (task.taskRef) checkRef(task.taskRef, at.at("taskRef"));
  const refName = localRefName(task.taskRef, "Task");
  const referenced = refName === undefined ? undefined : env.lookup.task(refName);
  const spec = task.taskSpec ?? referenced;
  if (!spec) return;
  const bound = new Set((task.workspaces ?? []).map((w) => w.name));
  if (task.taskSpec) {
    const params = mergeParams(env.params, paramsFromValues(task.params));
    checkTaskSpec(
      task.taskSpec,
      at.at("taskSpec"),
      { params, workspaces: new Set([...env.workspaces, ...bound]) },
      env.lookup,
    );
  }
  const target = task.taskSpec ? "the embedded Task" : `Task "${refName}"`;
  const missingAt = task.taskSpec ? ["taskSpec"] : ["taskRef"];
  checkParamBinding(spec.params, paramBinding(task, target, missingAt, env), at);
  const workspaces = {
    target,
    bound: task.workspaces,
    boundAt: ["workspaces"],
    missingAt: task.workspaces ? ["workspaces"] : missingAt,
    ...(task.taskSpec ? { propagated: env.workspaces } : {}),
    reportUndeclared: !task.taskSpec,
    atTaskRunStart: true,
  };
  checkWorkspaceBinding(spec.workspaces, workspaces, at);
}

function paramBinding(
  task: PipelineTask,
  target: string,
  missingAt: string[],
  env: PipelineEnv,
): ParamBinding {
  return {
    target,
    given: task.params,
    givenAt: ["params"],
    missingAt: task.params ? ["params"] : missingAt,
    matrix: matrixParams(task.matrix),
    ...(task.taskSpec ? { propagated: new Set(env.params.keys()) } : {}),
    reportUnused: !task.taskSpec,
  };
}

function matrixParams(
  matrix: Matrix | undefined,
): Array<{ param: Param; path: (string | number)[] }> {
  const out: Array<{ param: Param; path: (string | number)[] }> = [];
  matrix?.params?.forEach((param, i) => out.push({ param, path: ["matrix", "params", i] }));
  matrix?.include?.forEach((include, i) =>
    include.params?.forEach((param, j) =>
      out.push({ param, path: ["matrix", "include", i, "params", j] }),
    ),
  );
  return out;
}

function checkOnError(task: PipelineTask, at: Scope): void {
  if (task.retries !== undefined && task.retries < 0) {
    at.report("retries-negative", ["retries"], `retries is ${task.retries}; it must be 0 or more`);
  }
  if (task.onError === undefined || task.onError.startsWith("$(params.")) return;
  if (!ON_ERROR.includes(task.onError)) {
    at.report(
      "onerror-value",
      ["onError"],
      `onError is "${task.onError}"; use "continue" or "stopAndFail"`,
    );
  } else if (task.onError === "continue" && (task.retries ?? 0) > 0) {
    at.report("retries-with-onerror", ["retries"], `retries cannot be used with onError: continue`);
  }
}

/** True when the task fans out over a matrix. */
export function isMatrixed(task: PipelineTask): boolean {
  return (task.matrix?.params?.length ?? 0) > 0 || (task.matrix?.include?.length ?? 0) > 0;
}

function checkMatrix(task: PipelineTask, at: Scope): void {
  const matrix = task.matrix;
  if (!matrix) return;
  reportDuplicates(
    matrix.params ?? [],
    at.at("matrix", "params"),
    "duplicate-param",
    "matrix param",
  );
  matrix.include?.forEach((include, i) =>
    reportDuplicates(
      include.params ?? [],
      at.at("matrix", "include", i, "params"),
      "duplicate-param",
      "include param",
    ),
  );
  const count = countCombinations(matrix);
  if (count > MAX_MATRIX_COMBINATIONS) {
    at.report(
      "matrix-combinations",
      ["matrix"],
      `matrix makes ${count} combinations; at most ${MAX_MATRIX_COMBINATIONS} are allowed`,
    );
  }
  const names = new Set(matrixParams(matrix).map((m) => m.param.name));
  task.params?.forEach((param, i) => {
    if (!names.has(param.name)) return;
    at.report(
      "matrix-param-conflict",
      ["params", i, "name"],
      `param "${param.name}" is given both in matrix and in params`,
    );
  });
}

// Counts as Tekton does: the product of the params' lengths, plus include entries that add a
// combination (one whose value for a matrix param is not among that param's values).
function countCombinations(matrix: Matrix): number {
  const params = matrix.params ?? [];
  const include = matrix.include ?? [];
  if (params.length === 0) return include.length;
  let count = params.reduce((product, p) => product * (p.value.length || 1), 1);
  const values = new Map(params.map((p) => [p.name, p.value]));
  for (const entry of include) {
    for (const param of entry.params ?? []) {
      const list = values.get(param.name);
      if (!list) continue;
      if (list.includes(String(param.value))) break;
      count++;
    }
  }
  return count;
}

/** The strings of a pipeline task that may hold references: params, matrix and when. */
export function pipelineTaskSites(task: PipelineTask): SiteList {
  const list = new SiteList();
  task.params?.forEach((p, i) => list.addValue(p.value, ["params", i, "value"], "params"));
  task.matrix?.params?.forEach((p, i) =>
    list.addItems(
      Array.isArray(p.value) ? p.value : [p.value],
      ["matrix", "params", i, "value"],
      "matrix",
    ),
  );
  task.matrix?.include?.forEach((include, i) =>
    include.params?.forEach((p, j) =>
      list.add(String(p.value), ["matrix", "include", i, "params", j, "value"], "text", "matrix"),
    ),
  );
  task.when?.forEach((when, i) => {
    list.add(when.input, ["when", i, "input"], "text", "when");
    list.addItems(when.values, ["when", i, "values"], "when");
  });
  return list;
}

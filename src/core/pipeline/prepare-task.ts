import type { Param, ParamValue, WhenExpression } from "../model/common.ts";
import type { Matrix, PipelineTask } from "../model/pipeline.ts";
import type { WorkspaceBinding } from "../model/runs.ts";
import type { TaskSpec } from "../model/task.ts";
import { SubstitutionError, type Vars } from "../subst/reference.ts";
import { substituteDeep, substituteValue } from "../subst/substitute.ts";
import { declareReferencedWorkspaces } from "../task/implicit-workspaces.ts";
import { evaluateWhen } from "../task/when.ts";
import {
  type Combination,
  expandMatrix,
  hasEmptyMatrixParam,
  MAX_MATRIX_COMBINATIONS,
} from "./matrix.ts";
import { findResultReferences } from "./references.ts";
import { SkipReason } from "./state.ts";

/** A pipeline task made ready to become one or more TaskRuns. */
export interface PreparedTask {
  params: Param[];
  /** The embedded spec with the pipeline's variables substituted; absent for a taskRef. */
  taskSpec: TaskSpec | undefined;
  workspaces: WorkspaceBinding[];
  /** Matrix fan-out; undefined when the task has no matrix. */
  combinations: Combination[] | undefined;
}

export type Preparation =
  | { kind: "run"; task: PreparedTask }
  | { kind: "skip"; reason: SkipReason; when?: WhenExpression }
  | { kind: "fail"; reason: string; message: string };

/** Substitutes a pipeline task against the run's variables and decides whether it runs. */
export function preparePipelineTask(
  task: PipelineTask,
  vars: Vars,
  runWorkspaces: readonly WorkspaceBinding[],
): Preparation {
  try {
    return prepare(task, vars, runWorkspaces);
  } catch (error) {
    // An index out of range (a result array shorter than expected) fails the task.
    if (!(error instanceof SubstitutionError)) throw error;
    return { kind: "fail", reason: error.reason, message: error.message };
  }
}

function prepare(
  task: PipelineTask,
  vars: Vars,
  runWorkspaces: readonly WorkspaceBinding[],
): Preparation {
  const missing = findResultReferences([task.params, task.when, task.matrix]).find(
    (ref) => !hasResult(vars, ref.task, ref.result),
  );
  if (missing) return { kind: "skip", reason: SkipReason.missingResults };

  const when = substituteDeep(task.when ?? [], vars);
  const verdict = evaluateWhen(when);
  if (!verdict.pass) {
    return verdict.failed
      ? { kind: "skip", reason: SkipReason.when, when: verdict.failed }
      : { kind: "skip", reason: SkipReason.when };
  }

  const matrix = task.matrix ? substituteMatrix(task.matrix, vars) : undefined;
  if (hasEmptyMatrixParam(matrix)) return { kind: "skip", reason: SkipReason.emptyMatrix };
  const combinations = matrix ? expandMatrix(matrix) : undefined;
  if (combinations && combinations.length > MAX_MATRIX_COMBINATIONS) {
    const message = `matrix of task "${task.name}" has ${combinations.length} combinations, more than the limit of ${MAX_MATRIX_COMBINATIONS}`;
    return { kind: "fail", reason: "PipelineValidationFailed", message };
  }

  const params = (task.params ?? []).map((param) => ({
    name: param.name,
    value: substituteValue(param.value, vars),
  }));
  const available = runWorkspaces.map((binding) => binding.name);
  const taskSpec = task.taskSpec
    ? declareReferencedWorkspaces(substituteEmbedded(task, vars), available)
    : undefined;
  const bindings = substituteDeep(task.workspaces ?? [], vars);
  const workspaces = mapWorkspaces({ ...task, workspaces: bindings }, taskSpec, runWorkspaces);
  return { kind: "run", task: { params, taskSpec, workspaces, combinations } };
}

function substituteMatrix(matrix: Matrix, vars: Vars): Matrix {
  const params = (matrix.params ?? []).map((param) => {
    const value = substituteValue(param.value, vars);
    return { name: param.name, value: Array.isArray(value) ? value : [String(value)] };
  });
  return { params, include: substituteDeep(matrix.include ?? [], vars) };
}

function hasResult(vars: Vars, task: string, result: string): boolean {
  return vars.has(`tasks.${task}.results.${result}`);
}

// The innermost scope wins: params the task declares, or that the pipeline task passes,
// are left for the TaskRun to substitute; other pipeline params propagate into the spec.
function substituteEmbedded(task: PipelineTask, vars: Vars): TaskSpec {
  const {
    metadata: _m,
    apiVersion: _a,
    kind: _k,
    spec: _s,
    ...spec
  } = task.taskSpec as NonNullable<PipelineTask["taskSpec"]>;
  const shadowed = new Set([
    ...(spec.params ?? []).map((param) => param.name),
    ...(task.params ?? []).map((param) => param.name),
  ]);
  const visible = new Map<string, ParamValue>();
  for (const [key, value] of vars) {
    const param = key.startsWith("params.") ? key.slice("params.".length) : undefined;
    if (param === undefined || !shadowed.has(param)) visible.set(key, value);
  }
  return substituteDeep(spec, visible);
}

/** Binds the task's workspaces to the run's, joining subPaths; embedded specs inherit by name. */
export function mapWorkspaces(
  task: PipelineTask,
  spec: TaskSpec | undefined,
  runWorkspaces: readonly WorkspaceBinding[],
): WorkspaceBinding[] {
  const byName = new Map(runWorkspaces.map((binding) => [binding.name, binding]));
  const out: WorkspaceBinding[] = [];
  for (const binding of task.workspaces ?? []) {
    const source = byName.get(binding.workspace ?? binding.name);
    if (!source) continue;
    const subPath = joinSubPath(source.subPath, binding.subPath);
    out.push({ ...source, name: binding.name, ...(subPath ? { subPath } : {}) });
  }
  for (const decl of spec?.workspaces ?? []) {
    if (out.some((binding) => binding.name === decl.name)) continue;
    const source = byName.get(decl.name);
    if (source) out.push(source);
  }
  return out;
}

function joinSubPath(outer: string | undefined, inner: string | undefined): string | undefined {
  if (!outer) return inner;
  if (!inner) return outer;
  return `${outer.replace(/\/+$/, "")}/${inner.replace(/^\/+/, "")}`;
}

import type { ParamValue } from "../model/common.ts";
import { aggregateStatus, executionStatus, type TaskState } from "./state.ts";

export interface PipelineVarsInput {
  params: ReadonlyMap<string, ParamValue>;
  context: ReadonlyMap<string, string>;
  /** DAG task states; finally tasks and pipeline results read their status and results. */
  tasks: ReadonlyMap<string, TaskState>;
  /** Number of TaskRuns each matrixed task fanned out to. */
  matrixLengths: ReadonlyMap<string, number>;
  boundWorkspaces: ReadonlyMap<string, boolean>;
  /** Finally tasks may read `$(tasks.<t>.status)` and `$(tasks.status)`; DAG tasks may not. */
  withStatus: boolean;
}

/** The variables a pipeline task's params, when and matrix are substituted with. */
export function pipelineVars(input: PipelineVarsInput): Map<string, ParamValue> {
  const vars = new Map<string, ParamValue>(input.context);
  for (const [name, value] of input.params) vars.set(`params.${name}`, value);
  for (const [name, bound] of input.boundWorkspaces)
    vars.set(`workspaces.${name}.bound`, String(bound));
  for (const [name, state] of input.tasks) {
    if (state.state === "succeeded" || state.state === "failed") {
      for (const [result, value] of state.results)
        vars.set(`tasks.${name}.results.${result}`, value);
    }
    const length = input.matrixLengths.get(name);
    if (length !== undefined) addMatrixLengths(vars, name, length, state);
    if (input.withStatus) {
      vars.set(`tasks.${name}.status`, executionStatus(state));
      vars.set(`tasks.${name}.reason`, reasonOf(state));
    }
  }
  if (input.withStatus) vars.set("tasks.status", aggregateStatus([...input.tasks.values()]));
  return vars;
}

function addMatrixLengths(
  vars: Map<string, ParamValue>,
  name: string,
  length: number,
  state: TaskState,
) {
  vars.set(`tasks.${name}.matrix.length`, String(length));
  if (state.state !== "succeeded" && state.state !== "failed") return;
  for (const [result, value] of state.results) {
    if (Array.isArray(value))
      vars.set(`tasks.${name}.matrix.${result}.length`, String(value.length));
  }
}

function reasonOf(state: TaskState): string {
  if (state.state === "succeeded" || state.state === "failed") return state.reason;
  return state.state === "skipped" ? "Skipped" : "None";
}

import type { ParamValue } from "../model/common.ts";

/** Tekton's skip reasons, as they appear in a PipelineRun's `status.skippedTasks`. */
export const SkipReason = {
  when: "When Expressions evaluated to false",
  parentSkipped: "Parent Tasks were skipped",
  stopping: "PipelineRun was stopping",
  missingResults: "Results were missing",
  pipelineTimeout: "PipelineRun timeout has been reached",
  tasksTimeout: "PipelineRun Tasks timeout has been reached",
  finallyTimeout: "PipelineRun Finally timeout has been reached",
  cancelled: "PipelineRun was gracefully cancelled",
  emptyMatrix: "Matrix Parameters have an empty array",
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** Where one pipeline task stands; terminal states carry what later tasks may read. */
export type TaskState =
  | { state: "pending" }
  | { state: "running" }
  | { state: "succeeded"; results: ReadonlyMap<string, ParamValue>; reason: string }
  | {
      state: "failed";
      /** `onError: continue` on the pipeline task: the run goes on as if it succeeded. */
      ignored: boolean;
      reason: string;
      results: ReadonlyMap<string, ParamValue>;
    }
  | { state: "skipped"; reason: SkipReason };

export function isTerminal(task: TaskState): boolean {
  return task.state !== "pending" && task.state !== "running";
}

/** `$(tasks.<t>.status)` as finally tasks read it. */
export function executionStatus(task: TaskState): "Succeeded" | "Failed" | "None" {
  if (task.state === "succeeded") return "Succeeded";
  if (task.state === "failed") return "Failed";
  return "None";
}

/** `$(tasks.status)`: the aggregate status of the DAG tasks. */
export function aggregateStatus(
  tasks: readonly TaskState[],
): "Succeeded" | "Failed" | "Completed" | "None" {
  if (tasks.some((task) => !isTerminal(task))) return "None";
  if (tasks.some((task) => task.state === "failed" && !task.ignored)) return "Failed";
  if (tasks.some((task) => task.state === "skipped")) return "Completed";
  return "Succeeded";
}

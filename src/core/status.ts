import type { ParamValue } from "./model/common.ts";

/** A Kubernetes-style condition: `Succeeded` with status, reason and message. */
export interface Condition {
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

export interface StepStatus {
  name: string;
  container: string;
  exitCode: number | undefined;
  /** Completed, Error, TimeoutExceeded, Skipped or Cancelled. */
  terminationReason: string;
}

export interface ResultValue {
  name: string;
  value: ParamValue;
}

export interface TaskRunStatus {
  name: string;
  pipelineTask: string | undefined;
  condition: Condition;
  steps: StepStatus[];
  results: ResultValue[];
  /** 0 for the first attempt; the retry number of the attempt this status describes. */
  retryCount: number;
  startTime: string;
  completionTime: string;
}

export interface SkippedTask {
  name: string;
  reason: string;
}

/** The final state of a run, as `--output json` prints it and runs are saved. */
export interface RunStatus {
  kind: "TaskRun" | "PipelineRun";
  name: string;
  condition: Condition;
  taskRuns: TaskRunStatus[];
  skippedTasks: SkippedTask[];
  results: ResultValue[];
  startTime: string;
  completionTime: string;
}

/** True when a condition ends a run well: Succeeded, or Completed with skipped tasks. */
export function isSuccess(condition: Condition): boolean {
  return condition.status === "True";
}

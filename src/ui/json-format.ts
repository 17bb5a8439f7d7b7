import type { RunEvent, TaskKey } from "../core/events.ts";
import type { Condition, ResultValue, RunStatus, TaskRunStatus } from "../core/status.ts";
import { matrixIndexOf } from "./task-label.ts";

/**
 * The `--output json` format, one record per line. It is documented in docs/output.md as
 * stable: fields are only ever added; a removal or change of meaning bumps `v`.
 */
export const JSON_FORMAT_VERSION = 1;

/** Tekton's `Succeeded` condition. */
export interface JsonCondition {
  type: "Succeeded";
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

export interface JsonStep {
  name: string;
  container: string;
  /** null when the step never ran. */
  exitCode: number | null;
  /** Completed, Error, TimeoutExceeded, Skipped or Cancelled. */
  terminationReason: string;
}

export interface JsonTaskRun {
  name: string;
  /** The pipeline task it ran for; null for a standalone TaskRun. */
  pipelineTask: string | null;
  succeeded: boolean;
  condition: JsonCondition;
  retryCount: number;
  startTime: string;
  completionTime: string;
  steps: JsonStep[];
  results: ResultValue[];
}

/** The whole status of a run: the last record of each run. */
export interface JsonRun {
  kind: "TaskRun" | "PipelineRun";
  name: string;
  succeeded: boolean;
  condition: JsonCondition;
  startTime: string;
  completionTime: string;
  taskRuns: JsonTaskRun[];
  skippedTasks: Array<{ name: string; reason: string }>;
  results: ResultValue[];
}

interface JsonTaskKey {
  task: string;
  taskRun: string;
  /** Present for the children of a matrix task. */
  matrixIndex?: number;
}

/** One line of `--output json`. */
export type JsonRecord = { v: 1; time: string; run: string } & (
  | { type: "run-started"; kind: "TaskRun" | "PipelineRun"; tasks: string[]; finally: string[] }
  | ({ type: "task-started"; attempt: number; steps: string[]; finally: boolean } & JsonTaskKey)
  | { type: "task-skipped"; task: string; reason: string }
  | ({
      type: "task-finished";
      attempt: number;
      durationMs: number;
      willRetry: boolean;
      status: JsonTaskRun;
    } & JsonTaskKey)
  | ({ type: "step-started"; step: string } & JsonTaskKey)
  | ({ type: "step-finished"; step: string; durationMs: number } & Omit<JsonStep, "name"> &
      JsonTaskKey)
  | ({ type: "log"; step: string; stream: "stdout" | "stderr"; line: string } & JsonTaskKey)
  | { type: "image-pull"; image: string; state: "started" | "done" | "failed"; message?: string }
  | { type: "warning"; message: string }
  | { type: "run-finished"; status: JsonRun }
);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type RecordBody = DistributiveOmit<JsonRecord, "v" | "time" | "run" | "type">;

/** Turns an event into its JSON record; `run` is the name of the run it belongs to. */
export function toJsonRecord(event: RunEvent, run: string, time: string): JsonRecord {
  return {
    v: JSON_FORMAT_VERSION,
    type: event.kind,
    time,
    run,
    ...bodyOf(event),
  } as JsonRecord;
}

function bodyOf(event: RunEvent): RecordBody {
  switch (event.kind) {
    case "run-started":
      return { kind: event.type, tasks: event.tasks, finally: event.finally };
    case "task-started":
      return {
        ...keyOf(event),
        attempt: event.attempt,
        steps: event.steps,
        finally: event.finally,
      };
    case "task-skipped":
      return { task: event.task, reason: event.reason };
    case "task-finished":
      return {
        ...keyOf(event),
        attempt: event.status.retryCount,
        durationMs: event.durationMs,
        willRetry: event.willRetry,
        status: jsonTaskRun(event.status),
      };
    case "step-started":
      return { ...keyOf(event), step: event.step };
    case "step-finished": {
      const { name: _name, ...step } = jsonStep(event.status);
      return { ...keyOf(event), step: event.step, ...step, durationMs: event.durationMs };
    }
    case "log":
      return { ...keyOf(event), step: event.step, stream: event.stream, line: event.line };
    case "image-pull":
      return {
        image: event.image,
        state: event.state,
        ...(event.message ? { message: event.message } : {}),
      };
    case "warning":
      return { message: event.message };
    case "run-finished":
      return { status: jsonRun(event.status) };
  }
}

// Step and log events of matrix children carry no index; it is read from the TaskRun's name.
function keyOf(key: TaskKey): JsonTaskKey {
  const out: JsonTaskKey = { task: key.task, taskRun: key.taskRun };
  const index = matrixIndexOf(key);
  if (index !== undefined) out.matrixIndex = index;
  return out;
}

function jsonCondition(condition: Condition): JsonCondition {
  return {
    type: "Succeeded",
    status: condition.status,
    reason: condition.reason,
    message: condition.message,
  };
}

function jsonStep(step: TaskRunStatus["steps"][number]): JsonStep {
  return {
    name: step.name,
    container: step.container,
    exitCode: step.exitCode ?? null,
    terminationReason: step.terminationReason,
  };
}

/** A TaskRun's status in the JSON format. */
export function jsonTaskRun(status: TaskRunStatus): JsonTaskRun {
  return {
    name: status.name,
    pipelineTask: status.pipelineTask ?? null,
    succeeded: status.condition.status === "True",
    condition: jsonCondition(status.condition),
    retryCount: status.retryCount,
    startTime: status.startTime,
    completionTime: status.completionTime,
    steps: status.steps.map(jsonStep),
    results: status.results,
  };
}

/** A run's status in the JSON format; also what `status.json` of a saved run holds. */
export function jsonRun(status: RunStatus): JsonRun {
  return {
    kind: status.kind,
    name: status.name,
    succeeded: status.condition.status === "True",
    condition: jsonCondition(status.condition),
    startTime: status.startTime,
    completionTime: status.completionTime,
    taskRuns: status.taskRuns.map(jsonTaskRun),
    skippedTasks: status.skippedTasks.map((task) => ({ name: task.name, reason: task.reason })),
    results: status.results,
  };
}

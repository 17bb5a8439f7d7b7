import type { Condition, RunStatus, StepStatus, TaskRunStatus } from "./status.ts";

/** Identifies a TaskRun within a run: the pipeline task (or TaskRun) name and the attempt. */
export interface TaskKey {
  /** Pipeline task name, or the TaskRun's name for a standalone TaskRun. */
  task: string;
  taskRun: string;
  /** Matrix combination index, when the task fans out. */
  matrixIndex?: number;
}

/** Everything a run reports; renderers turn these into output. */
export type RunEvent =
  | {
      kind: "run-started";
      run: string;
      type: "TaskRun" | "PipelineRun";
      tasks: string[];
      finally: string[];
    }
  | ({
      kind: "task-started";
      attempt: number;
      steps: string[];
      finally: boolean;
      /** How many TaskRuns the task's matrix fans out to, on each of them. */
      matrixCount?: number;
    } & TaskKey)
  | { kind: "task-skipped"; task: string; reason: string }
  | ({
      kind: "task-finished";
      status: TaskRunStatus;
      durationMs: number;
      willRetry: boolean;
    } & TaskKey)
  | ({ kind: "step-started"; step: string } & TaskKey)
  | ({ kind: "step-finished"; step: string; status: StepStatus; durationMs: number } & TaskKey)
  | ({ kind: "log"; step: string; stream: "stdout" | "stderr"; line: string } & TaskKey)
  | { kind: "image-pull"; image: string; state: "started" | "done" | "failed"; message?: string }
  | { kind: "warning"; message: string }
  | { kind: "run-finished"; status: RunStatus; condition: Condition };

export type RunEventKind = RunEvent["kind"];

/** Receives events; the runner never prints. */
export type EventSink = (event: RunEvent) => void;

import type { RunStatus, TaskRunStatus } from "../../src/core/status.ts";

/** The TaskRun status of a pipeline task (the last attempt), or of a standalone TaskRun. */
export function taskRunOf(status: RunStatus | undefined, task: string): TaskRunStatus | undefined {
  return status?.taskRuns.find((item) => item.pipelineTask === task || item.name === task);
}

/** Every TaskRun status of a pipeline task, in the order they were recorded. */
export function taskRunsOf(status: RunStatus | undefined, task: string): TaskRunStatus[] {
  return status?.taskRuns.filter((item) => item.pipelineTask === task) ?? [];
}

/** `skippedTasks` as a name → reason record, for exact comparison. */
export function skippedOf(status: RunStatus | undefined): Record<string, string> {
  return Object.fromEntries((status?.skippedTasks ?? []).map((item) => [item.name, item.reason]));
}

/** Each step's termination reason and exit code, as `name: reason/code`. */
export function stepsOf(status: RunStatus | undefined, task: string): Record<string, string> {
  const run = taskRunOf(status, task);
  return Object.fromEntries(
    (run?.steps ?? []).map((step) => [step.name, `${step.terminationReason}/${step.exitCode}`]),
  );
}

/** The pipeline (or TaskRun) results as a name → value record. */
export function resultsOf(status: RunStatus | undefined): Record<string, unknown> {
  return Object.fromEntries((status?.results ?? []).map((item) => [item.name, item.value]));
}

/** Runs `make` once, on first use, so several tests can check one run's outcome. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= make();
    return promise;
  };
}

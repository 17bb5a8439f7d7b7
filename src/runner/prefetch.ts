import type { EventSink } from "../core/events.ts";
import type { PipelineRunResource, TaskRunResource } from "../core/model/resources.ts";
import { pipelineCondition } from "../core/pipeline/outcome.ts";
import { SkipReason, type TaskState } from "../core/pipeline/state.ts";
import type { NeededImage, RunImages } from "../core/run-images.ts";
import type { RunStatus, TaskRunStatus } from "../core/status.ts";
import type { ImageCache } from "./images.ts";
import { taskRunNameOf } from "./pipeline-task.ts";

/** An image that could not be made present, with the engine's reason. */
export interface PullFailure {
  image: string;
  message: string;
  tasks: string[];
}

/**
 * Makes every image of the run present before its first TaskRun starts, all at once. The
 * cache keeps each outcome, so a TaskRun's own ensure is then a cache hit.
 */
export async function prefetchImages(
  images: readonly NeededImage[],
  cache: ImageCache,
  mapImage: (image: string) => string,
): Promise<PullFailure[]> {
  const outcomes = await Promise.allSettled(
    images.map((needed) => cache.ensure(mapImage(needed.image), needed.policy)),
  );
  const failures: PullFailure[] = [];
  outcomes.forEach((outcome, index) => {
    const needed = images[index] as NeededImage;
    if (outcome.status === "rejected") {
      const message = (outcome.reason as Error).message;
      failures.push({ image: mapImage(needed.image), message, tasks: needed.tasks });
    }
  });
  return failures;
}

/**
 * The status of a run that never started because images are missing: each task needing one
 * fails with Tekton's TaskRunImagePullFailed, and a PipelineRun skips the rest, as it does
 * once a task has failed. Events are emitted as if the run had started and stopped at once.
 */
export function pullFailedStatus(
  run: TaskRunResource | PipelineRunResource,
  name: string,
  plan: RunImages,
  failures: readonly PullFailure[],
  emit: EventSink,
): RunStatus {
  const now = new Date().toISOString();
  emit({
    kind: "run-started",
    run: name,
    type: run.kind,
    tasks: plan.tasks,
    finally: plan.finally,
  });
  const failedTasks = new Map<string, string>();
  for (const failure of failures) {
    for (const task of failure.tasks)
      if (!failedTasks.has(task)) failedTasks.set(task, failure.message);
  }
  const taskRuns: TaskRunStatus[] = [];
  for (const [task, message] of failedTasks) {
    const taskRun = run.kind === "TaskRun" ? name : taskRunNameOf(name, task, undefined);
    const status = failedTaskRun(taskRun, run.kind === "TaskRun" ? undefined : task, message, now);
    const key = { task, taskRun };
    const isFinally = plan.finally.includes(task);
    emit({ kind: "task-started", ...key, attempt: 0, steps: [], finally: isFinally });
    emit({ kind: "task-finished", ...key, status, durationMs: 0, willRetry: false });
    taskRuns.push(status);
  }
  const skipped = [...plan.tasks, ...plan.finally].filter((task) => !failedTasks.has(task));
  for (const task of skipped) emit({ kind: "task-skipped", task, reason: SkipReason.stopping });
  const condition =
    run.kind === "TaskRun"
      ? (taskRuns[0] as TaskRunStatus).condition
      : pipelineCondition({
          name,
          states: statesOf(failedTasks, skipped),
          timedOut: undefined,
          cancelled: false,
        });
  return {
    kind: run.kind,
    name,
    condition,
    taskRuns,
    skippedTasks: skipped.map((task) => ({ name: task, reason: SkipReason.stopping })),
    results: [],
    startTime: now,
    completionTime: now,
  };
}

function failedTaskRun(
  name: string,
  pipelineTask: string | undefined,
  message: string,
  now: string,
): TaskRunStatus {
  return {
    name,
    pipelineTask,
    condition: { status: "False", reason: "TaskRunImagePullFailed", message },
    steps: [],
    results: [],
    retryCount: 0,
    startTime: now,
    completionTime: now,
  };
}

function statesOf(failed: ReadonlyMap<string, string>, skipped: readonly string[]) {
  const states = new Map<string, TaskState>();
  for (const task of failed.keys()) {
    states.set(task, {
      state: "failed",
      ignored: false,
      reason: "TaskRunImagePullFailed",
      results: new Map(),
    });
  }
  for (const task of skipped) states.set(task, { state: "skipped", reason: SkipReason.stopping });
  return states;
}

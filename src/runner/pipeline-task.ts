import type { Catalog } from "../core/catalog.ts";
import { parseDuration } from "../core/duration.ts";
import type { Param, ParamValue } from "../core/model/common.ts";
import type { PipelineTask } from "../core/model/pipeline.ts";
import type { TaskSpec } from "../core/model/task.ts";
import { aggregateMatrixResults } from "../core/pipeline/matrix.ts";
import type { PreparedTask } from "../core/pipeline/prepare-task.ts";
import type { TaskState } from "../core/pipeline/state.ts";
import type { TaskKey } from "../core/events.ts";
import type { TaskRunStatus } from "../core/status.ts";
import { planTask } from "../core/task/plan-task.ts";
import { SubstitutionError } from "../core/subst/reference.ts";
import { PlanError } from "../core/task/plan.ts";
import { taskPlanInput } from "./plan-input.ts";
import type { Semaphore } from "./semaphore.ts";
import { runTaskRun, type TaskRunContext } from "./task-runner.ts";

/** What running a pipeline task needs beyond the prepared task itself. */
export interface PipelineTaskEnv {
  ctx: TaskRunContext;
  catalog: Catalog;
  semaphore: Semaphore;
  pipelineRunName: string;
  context: ReadonlyMap<string, string>;
  /** The referenced Task, resolved before the run started; undefined for embedded specs. */
  referenced: { spec: TaskSpec; name: string } | undefined;
  serviceAccountName: string | undefined;
  podTemplate: Record<string, unknown> | undefined;
  isFinally: boolean;
  /** Aborts the TaskRuns of this phase (pipeline, tasks or finally timeout, or Ctrl-C). */
  signal: AbortSignal;
}

export interface PipelineTaskOutcome {
  state: TaskState;
  taskRuns: TaskRunStatus[];
  matrixLength: number | undefined;
}

/** Runs a pipeline task: one TaskRun, or one per matrix combination, each with its retries. */
export async function runPipelineTask(
  task: PipelineTask,
  prepared: PreparedTask,
  env: PipelineTaskEnv,
): Promise<PipelineTaskOutcome> {
  const combos = prepared.combinations;
  const runs = combos
    ? combos.map((combo, index) => ({ params: mergeParams(prepared.params, combo.params), index }))
    : [{ params: prepared.params, index: undefined }];
  const outcomes = await Promise.all(
    runs.map((run) =>
      env.semaphore.use(() => runWithRetries(task, prepared, run.params, run.index, env)),
    ),
  );
  const ignoreFailure = task.onError === "continue";
  const taskRuns = outcomes.map((outcome) =>
    ignoreFailure ? markFailureIgnored(outcome.status) : outcome.status,
  );
  const results = combos
    ? aggregateMatrixResults(outcomes.map((o) => o.results))
    : (outcomes[0]?.results ?? new Map());
  const failedRun = taskRuns.find((status) => status.condition.status !== "True");
  const state: TaskState = failedRun
    ? {
        state: "failed",
        ignored: task.onError === "continue",
        reason: task.onError === "continue" ? "FailureIgnored" : failedRun.condition.reason,
        results,
      }
    : { state: "succeeded", results, reason: "Succeeded" };
  return { state, taskRuns, matrixLength: combos?.length };
}

// Tekton marks the failed TaskRun of an `onError: continue` task FailureIgnored.
function markFailureIgnored(status: TaskRunStatus): TaskRunStatus {
  if (status.condition.status === "True") return status;
  return { ...status, condition: { ...status.condition, reason: "FailureIgnored" } };
}

function mergeParams(base: readonly Param[], extra: readonly Param[]): Param[] {
  const names = new Set(extra.map((param) => param.name));
  return [...base.filter((param) => !names.has(param.name)), ...extra];
}

async function runWithRetries(
  task: PipelineTask,
  prepared: PreparedTask,
  params: Param[],
  matrixIndex: number | undefined,
  env: PipelineTaskEnv,
) {
  const retries = task.retries ?? 0;
  const taskRunName = taskRunNameOf(env.pipelineRunName, task.name, matrixIndex);
  const key = {
    task: task.name,
    taskRun: taskRunName,
    ...(matrixIndex === undefined ? {} : { matrixIndex }),
  };
  let last: { status: TaskRunStatus; results: Map<string, ParamValue> } | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    const started = Date.now();
    last = await runAttempt(task, prepared, params, key, attempt, env);
    const willRetry =
      last.status.condition.status !== "True" && attempt < retries && !env.signal.aborted;
    env.ctx.emit({
      kind: "task-finished",
      ...key,
      status: last.status,
      durationMs: Date.now() - started,
      willRetry,
    });
    if (!willRetry) break;
  }
  return last as { status: TaskRunStatus; results: Map<string, ParamValue> };
}

async function runAttempt(
  task: PipelineTask,
  prepared: PreparedTask,
  params: Param[],
  key: TaskKey,
  attempt: number,
  env: PipelineTaskEnv,
) {
  const taskRunName = key.taskRun;
  const context = new Map(env.context);
  context.set("context.pipelineTask.retries", String(task.retries ?? 0));
  let plan: ReturnType<typeof planTask>;
  try {
    const spec = prepared.taskSpec ?? env.referenced?.spec;
    plan = planTask(
      taskPlanInput(
        {
          taskRunName,
          taskName: prepared.taskSpec ? task.name : (env.referenced?.name ?? task.name),
          spec: spec as TaskSpec,
          params,
          workspaces: prepared.workspaces,
          context,
          retryCount: attempt,
          serviceAccountName: env.serviceAccountName,
          podTemplate: env.podTemplate,
        },
        env.catalog,
      ),
    );
  } catch (error) {
    if (!(error instanceof PlanError || error instanceof SubstitutionError)) throw error;
    const reason = error instanceof PlanError ? error.reason : error.reason;
    return {
      status: failedStatus(taskRunName, task.name, attempt, reason, error.message),
      results: new Map<string, ParamValue>(),
    };
  }
  env.ctx.emit({
    kind: "task-started",
    ...key,
    attempt,
    steps: plan.steps.map((step) => step.name),
    finally: env.isFinally,
    ...(prepared.combinations ? { matrixCount: prepared.combinations.length } : {}),
  });
  const timeoutMs =
    task.timeout === undefined ? undefined : parseDuration(task.timeout) || undefined;
  return runTaskRun(
    { plan, key, timeoutMs, retryCount: attempt },
    { ...env.ctx, signal: env.signal },
  );
}

function failedStatus(
  name: string,
  task: string,
  retryCount: number,
  reason: string,
  message: string,
): TaskRunStatus {
  const now = new Date().toISOString();
  return {
    name,
    pipelineTask: task,
    condition: { status: "False", reason, message },
    steps: [],
    results: [],
    retryCount,
    startTime: now,
    completionTime: now,
  };
}

/** `<pipelinerun>-<task>[-<index>]`, cut to the 63 characters a Kubernetes name allows. */
export function taskRunNameOf(
  pipelineRun: string,
  task: string,
  matrixIndex: number | undefined,
): string {
  const suffix = matrixIndex === undefined ? "" : `-${matrixIndex}`;
  const name = `${pipelineRun}-${task}`;
  return `${name.slice(0, 63 - suffix.length)}${suffix}`;
}

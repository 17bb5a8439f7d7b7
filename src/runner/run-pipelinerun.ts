import type { Catalog } from "../core/catalog.ts";
import type { PipelineTask } from "../core/model/pipeline.ts";
import type { PipelineRunResource } from "../core/model/resources.ts";
import { buildDag, type Dag } from "../core/pipeline/dag.ts";
import { pipelineCondition, pipelineResults } from "../core/pipeline/outcome.ts";
import { checkParamIndexing } from "../core/pipeline/param-indexing.ts";
import { preparePipelineTask } from "../core/pipeline/prepare-task.ts";
import { allDone, decideNext } from "../core/pipeline/scheduler.ts";
import { SkipReason, type TaskState } from "../core/pipeline/state.ts";
import { pipelineVars } from "../core/pipeline/vars.ts";
import type { RunStatus } from "../core/status.ts";
import { PhaseTimers } from "./phase-timers.ts";
import { checkedDag, prepareRun, type RunState } from "./pipeline-setup.ts";
import { runPipelineTask } from "./pipeline-task.ts";
import { Semaphore } from "./semaphore.ts";
import type { TaskRunContext } from "./task-runner.ts";

export interface PipelineRunOptions {
  concurrency: number;
}

/** Runs a PipelineRun document: the DAG with its concurrency, then finally, then results. */
export async function executePipelineRun(
  run: PipelineRunResource,
  name: string,
  catalog: Catalog,
  ctx: TaskRunContext,
  options: PipelineRunOptions,
): Promise<RunStatus> {
  const startTime = new Date().toISOString();
  const state = prepareRun(run, name, catalog, ctx);
  const tasks = state.spec.tasks ?? [];
  const finallyTasks = state.spec.finally ?? [];
  const dag = checkedDag(run, tasks);
  ctx.emit({
    kind: "run-started",
    run: name,
    type: "PipelineRun",
    tasks: tasks.map((t) => t.name),
    finally: finallyTasks.map((t) => t.name),
  });

  const indexing = checkParamIndexing(state.spec, state.params);
  if (indexing) {
    const condition = {
      status: "False" as const,
      reason: "ParamArrayIndexingInvalid",
      message: indexing,
    };
    return pipelineStatus(name, startTime, state, condition, []);
  }

  const semaphore = new Semaphore(Math.max(1, options.concurrency));
  const timers = new PhaseTimers(run, ctx.signal);
  try {
    await runPhase(tasks, dag, state, {
      run,
      catalog,
      ctx,
      semaphore,
      signal: timers.tasks.signal,
      isFinally: false,
    });
    state.timedOut = timers.timedOut();
    const finallyDag = buildDag(finallyTasks.map(({ runAfter: _r, ...task }) => task)).dag;
    const finallySkip = timers.pipelineExpired()
      ? SkipReason.pipelineTimeout
      : ctx.signal.aborted
        ? SkipReason.cancelled
        : undefined;
    await runPhase(
      finallyTasks,
      finallyDag,
      state,
      { run, catalog, ctx, semaphore, signal: timers.finally.signal, isFinally: true },
      finallySkip,
    );
    state.timedOut ??= timers.timedOut();
  } finally {
    timers.dispose();
  }

  const vars = varsOf(state, true);
  const condition = pipelineCondition({
    name,
    states: state.states,
    timedOut: state.timedOut,
    cancelled: ctx.signal.aborted,
  });
  return pipelineStatus(
    name,
    startTime,
    state,
    condition,
    pipelineResults(state.spec.results ?? [], vars),
  );
}

function pipelineStatus(
  name: string,
  startTime: string,
  state: RunState,
  condition: RunStatus["condition"],
  results: RunStatus["results"],
): RunStatus {
  return {
    kind: "PipelineRun",
    name,
    condition,
    taskRuns: state.taskRuns,
    skippedTasks: state.skipped,
    results,
    startTime,
    completionTime: new Date().toISOString(),
  };
}

interface PhaseEnv {
  run: PipelineRunResource;
  catalog: Catalog;
  ctx: TaskRunContext;
  semaphore: Semaphore;
  signal: AbortSignal;
  isFinally: boolean;
}

async function runPhase(
  tasks: PipelineTask[],
  dag: Dag,
  state: RunState,
  env: PhaseEnv,
  skipAll?: SkipReason,
): Promise<void> {
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const phase = new Map<string, TaskState>(tasks.map((task) => [task.name, { state: "pending" }]));
  const running = new Set<Promise<void>>();
  let stopping = skipAll;
  while (!allDone(phase)) {
    if (env.signal.aborted && !stopping)
      stopping = env.isFinally ? SkipReason.finallyTimeout : SkipReason.stopping;
    let progressed = false;
    for (const decision of decideNext(dag, phase, stopping)) {
      progressed = true;
      const task = byName.get(decision.task) as PipelineTask;
      if (decision.action === "skip") {
        markSkipped(task.name, decision.reason, phase, state, env);
        continue;
      }
      phase.set(task.name, { state: "running" });
      const work = startTask(task, phase, state, env).then((failed) => {
        if (failed && !env.isFinally) stopping ??= SkipReason.stopping;
        running.delete(work);
      });
      running.add(work);
    }
    if (!progressed && running.size === 0) break;
    if (!progressed || running.size > 0) await Promise.race([...running, abortPromise(env.signal)]);
  }
  await Promise.all(running);
}

function abortPromise(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return new Promise(() => {});
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

function markSkipped(
  name: string,
  reason: SkipReason,
  phase: Map<string, TaskState>,
  state: RunState,
  env: PhaseEnv,
) {
  const skipped: TaskState = { state: "skipped", reason };
  phase.set(name, skipped);
  state.states.set(name, skipped);
  state.skipped.push({ name, reason });
  env.ctx.emit({ kind: "task-skipped", task: name, reason });
}

/** Prepares and runs one task; resolves true when it failed (and the failure counts). */
async function startTask(
  task: PipelineTask,
  phase: Map<string, TaskState>,
  state: RunState,
  env: PhaseEnv,
): Promise<boolean> {
  const prep = preparePipelineTask(task, varsOf(state, env.isFinally), state.workspaces);
  if (prep.kind === "skip") {
    markSkipped(task.name, prep.reason, phase, state, env);
    return false;
  }
  if (prep.kind === "fail") {
    const failed: TaskState = {
      state: "failed",
      ignored: false,
      reason: prep.reason,
      results: new Map(),
    };
    phase.set(task.name, failed);
    state.states.set(task.name, failed);
    env.ctx.emit({ kind: "warning", message: prep.message });
    return true;
  }
  const runSpec = env.run.spec.taskRunSpecs?.find((spec) => spec.pipelineTaskName === task.name);
  const template = env.run.spec.taskRunTemplate;
  const outcome = await runPipelineTask(task, prep.task, {
    ctx: env.ctx,
    catalog: env.catalog,
    semaphore: env.semaphore,
    pipelineRunName: state.name,
    context: state.context,
    referenced: state.referenced.get(task.name),
    serviceAccountName: runSpec?.serviceAccountName ?? template?.serviceAccountName,
    podTemplate: runSpec?.podTemplate ?? template?.podTemplate,
    isFinally: env.isFinally,
    signal: env.signal,
  });
  phase.set(task.name, outcome.state);
  state.states.set(task.name, outcome.state);
  state.taskRuns.push(...outcome.taskRuns);
  if (outcome.matrixLength !== undefined) state.matrixLengths.set(task.name, outcome.matrixLength);
  return outcome.state.state === "failed" && !outcome.state.ignored;
}

function varsOf(state: RunState, withStatus: boolean) {
  const dagNames = new Set((state.spec.tasks ?? []).map((task) => task.name));
  const tasks = withStatus
    ? new Map([...state.states].filter(([name]) => dagNames.has(name)))
    : state.states;
  const vars = pipelineVars({
    params: state.params,
    context: state.context,
    tasks,
    matrixLengths: state.matrixLengths,
    boundWorkspaces: new Map(state.workspaces.map((binding) => [binding.name, true])),
    withStatus,
  });
  // Finally tasks' own results feed pipeline results.
  for (const [name, task] of state.states) {
    if (dagNames.has(name) || (task.state !== "succeeded" && task.state !== "failed")) continue;
    for (const [result, value] of task.results) {
      vars.set(`tasks.${name}.results.${result}`, value);
      vars.set(`finally.${name}.results.${result}`, value);
    }
  }
  for (const ws of state.spec.workspaces ?? []) {
    if (!vars.has(`workspaces.${ws.name}.bound`)) vars.set(`workspaces.${ws.name}.bound`, "false");
  }
  return vars;
}

import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Catalog } from "../core/catalog.ts";
import { formatDuration, parseDuration } from "../core/duration.ts";
import { MalletError } from "../core/errors.ts";
import type { ParamValue } from "../core/model/common.ts";
import type { PipelineSpec, PipelineTask } from "../core/model/pipeline.ts";
import type { PipelineRunResource } from "../core/model/resources.ts";
import type { WorkspaceBinding } from "../core/model/runs.ts";
import { buildDag, type Dag } from "../core/pipeline/dag.ts";
import { pipelineCondition, pipelineResults } from "../core/pipeline/outcome.ts";
import { checkParamIndexing } from "../core/pipeline/param-indexing.ts";
import { preparePipelineTask } from "../core/pipeline/prepare-task.ts";
import { allDone, decideNext } from "../core/pipeline/scheduler.ts";
import { SkipReason, type TaskState } from "../core/pipeline/state.ts";
import { pipelineVars } from "../core/pipeline/vars.ts";
import type { RunStatus, SkippedTask, TaskRunStatus } from "../core/status.ts";
import { paramVars, resolveParams } from "../core/subst/params.ts";
import { runParamVars } from "../resolve/lookup.ts";
import { makeDir } from "./host-dirs.ts";
import { type PipelineTaskEnv, runPipelineTask } from "./pipeline-task.ts";
import { resolvePipelineRef, resolveTaskRef } from "./resolve-refs.ts";
import { Semaphore } from "./semaphore.ts";
import { timerDelay } from "./task-clock.ts";
import type { TaskRunContext } from "./task-runner.ts";

const DEFAULT_PIPELINE_TIMEOUT_MS = 60 * 60 * 1000;

export interface PipelineRunOptions {
  concurrency: number;
}

/** Everything one PipelineRun tracks while it runs. */
interface RunState {
  name: string;
  spec: PipelineSpec;
  params: Map<string, ParamValue>;
  context: Map<string, string>;
  workspaces: WorkspaceBinding[];
  states: Map<string, TaskState>;
  matrixLengths: Map<string, number>;
  taskRuns: TaskRunStatus[];
  skipped: SkippedTask[];
  referenced: Map<string, PipelineTaskEnv["referenced"]>;
  timedOut: string | undefined;
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

function prepareRun(
  run: PipelineRunResource,
  name: string,
  catalog: Catalog,
  ctx: TaskRunContext,
): RunState {
  const resolved = run.spec.pipelineSpec
    ? { spec: run.spec.pipelineSpec, name }
    : resolvePipelineRef(
        run.spec.pipelineRef ?? {},
        catalog,
        run.doc,
        ["spec", "pipelineRef"],
        runParamVars(run.spec.params),
      );
  const context = new Map([
    ["context.pipelineRun.name", name],
    ["context.pipelineRun.namespace", "default"],
    ["context.pipelineRun.uid", randomUUID()],
    ["context.pipeline.name", resolved.name],
  ]);
  const { values, problems } = resolveParams(
    resolved.spec.params ?? [],
    run.spec.params ?? [],
    context,
  );
  if (problems[0]) {
    throw new MalletError(
      problems[0].code,
      problems[0].message,
      run.doc.locate(["spec", "params"]),
    );
  }
  const referenced = new Map<string, PipelineTaskEnv["referenced"]>();
  const all = [...(resolved.spec.tasks ?? []), ...(resolved.spec.finally ?? [])];
  // Resolver params of the tasks' refs may name the pipeline's params, as the pre-pass did.
  const taskRefVars = paramVars(values);
  for (const [index, task] of all.entries()) {
    if (!task.taskRef) continue;
    const at = run.spec.pipelineSpec
      ? ["spec", "pipelineSpec", "tasks", index, "taskRef"]
      : ["spec", "pipelineRef"];
    referenced.set(task.name, resolveTaskRef(task.taskRef, catalog, run.doc, at, taskRefVars));
  }
  return {
    name,
    spec: resolved.spec,
    params: values,
    context,
    workspaces: materializeClaimTemplates(run.spec.workspaces ?? [], ctx.workDir),
    states: new Map(),
    matrixLengths: new Map(),
    taskRuns: [],
    skipped: [],
    referenced,
    timedOut: undefined,
  };
}

function checkedDag(run: PipelineRunResource, tasks: PipelineTask[]): Dag {
  const { dag, problems } = buildDag(tasks);
  const problem = problems[0];
  if (!problem) return dag;
  const message =
    problem.kind === "cycle"
      ? `pipeline tasks form a cycle: ${problem.tasks.join(" -> ")}`
      : `task "${problem.task}" refers to unknown task "${problem.ref}" in ${problem.via === "runAfter" ? "runAfter" : "a result reference"}`;
  throw new MalletError("INVALID_SPEC", message, run.doc.locate(["spec"]));
}

// A volumeClaimTemplate gives the whole PipelineRun one fresh volume shared by its tasks.
function materializeClaimTemplates(
  bindings: WorkspaceBinding[],
  workDir: string,
): WorkspaceBinding[] {
  return bindings.map((binding) => {
    if (!binding.volumeClaimTemplate) return binding;
    const { volumeClaimTemplate: _t, ...rest } = binding;
    return { ...rest, hostPath: { path: makeDir(join(workDir, `claim-${binding.name}`)) } };
  });
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

/** The pipeline, tasks and finally timeouts as abort signals layered on the run's own. */
class PhaseTimers {
  readonly tasks = new AbortController();
  readonly finally = new AbortController();
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];
  private expired: "pipeline" | "tasks" | "finally" | undefined;
  private readonly limits: Record<"pipeline" | "tasks" | "finally", number | undefined>;

  constructor(run: PipelineRunResource, parent: AbortSignal) {
    const timeouts = run.spec.timeouts ?? {};
    const pipeline =
      timeouts.pipeline === undefined
        ? DEFAULT_PIPELINE_TIMEOUT_MS
        : parseDuration(timeouts.pipeline);
    this.limits = {
      pipeline: pipeline || undefined,
      tasks: timeouts.tasks === undefined ? undefined : parseDuration(timeouts.tasks) || undefined,
      finally:
        timeouts.finally === undefined ? undefined : parseDuration(timeouts.finally) || undefined,
    };
    const abortAll = () => {
      this.tasks.abort();
      this.finally.abort();
    };
    parent.addEventListener("abort", abortAll, { once: true });
    this.arm("pipeline", abortAll);
    this.arm("tasks", () => this.tasks.abort());
  }

  private arm(which: "pipeline" | "tasks", onExpire: () => void): void {
    const limit = this.limits[which];
    if (limit === undefined) return;
    this.timers.push(
      setTimeout(() => {
        this.expired ??= which;
        onExpire();
      }, timerDelay(limit)),
    );
  }

  pipelineExpired(): boolean {
    return this.expired === "pipeline";
  }

  timedOut(): string | undefined {
    if (!this.expired) return undefined;
    return formatDuration(this.limits[this.expired] ?? 0);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}

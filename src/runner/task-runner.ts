import { createWriteStream, rmSync, type WriteStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ContainerSpec, Engine } from "../backend/engine.ts";
import type { EventSink, TaskKey } from "../core/events.ts";
import type { ParamValue } from "../core/model/common.ts";
import type { StepStatus, TaskRunStatus } from "../core/status.ts";
import type { StepPlan, TaskPlan } from "../core/task/plan.ts";
import { evaluateWhen } from "../core/task/when.ts";
import { hostPathOf, internalMounts, mergeMounts, userMounts } from "./container-spec.ts";
import { prepareTaskDirs, type SharedDirs, type TaskDirs, openForWriting } from "./host-dirs.ts";
import { type ImageCache, ImagePullError } from "./images.ts";
import { LineSplitter } from "./line-splitter.ts";
import { restoreTaskRunFiles } from "./ownership.ts";
import { StepContainers } from "./step-containers.ts";
import { applyStepResults } from "./step-runtime.ts";
import { TaskClock } from "./task-clock.ts";
import {
  containerSpec,
  ensureWorkingDir,
  firstImage,
  inspectAhead,
  startSidecars,
  stepCredentials,
  writeScript,
  writeScriptsAndCredentials,
} from "./container-launch.ts";
import { buildStatus, collectResults, readStepResults } from "./task-results.ts";

/** What every TaskRun of a run shares: the engine, output, directories and cancellation. */
export interface TaskRunContext {
  engine: Engine;
  emit: EventSink;
  runId: string;
  workDir: string;
  shared: SharedDirs;
  images: ImageCache;
  mapImage: (image: string) => string;
  signal: AbortSignal;
  labels: Record<string, string>;
  /** Engine work a TaskRun leaves under way when it returns; the run awaits it at its end. */
  cleanups: Array<Promise<void>>;
}

export interface TaskRunRequest {
  plan: TaskPlan;
  key: TaskKey;
  timeoutMs: number | undefined;
  retryCount: number;
}

export interface TaskRunOutcome {
  status: TaskRunStatus;
  results: Map<string, ParamValue>;
}

export type Failure = { reason: string; message: string };

/** Runs one TaskRun as one pod: sidecars, then steps in order, then results. */
export async function runTaskRun(
  request: TaskRunRequest,
  ctx: TaskRunContext,
): Promise<TaskRunOutcome> {
  const startTime = new Date().toISOString();
  const { plan, key } = request;
  const pod = podName(ctx.runId, key.taskRun, request.retryCount);
  const dirs = prepareTaskDirs(
    join(ctx.workDir, `${key.taskRun}-${request.retryCount}`),
    plan,
    ctx.shared,
  );
  const clock = new TaskClock(request.timeoutMs, ctx.signal);
  const steps: StepStatus[] = [];
  const containers = new StepContainers((step) => createStepContainer(step, pod, dirs, ctx));
  let failure: Failure | undefined;
  try {
    writeScriptsAndCredentials(plan, dirs);
    await clock.race(
      Promise.all(
        plan.steps.map((step) => ctx.images.ensure(ctx.mapImage(step.image), step.imagePullPolicy)),
      ),
    );
    if (!clock.stopped) {
      inspectAhead(plan, ctx);
      await ctx.engine.createPod({
        name: pod,
        hostname: hostnameOf(key.taskRun),
        labels: ctx.labels,
        image: firstImage(plan, ctx),
      });
      containers.createAhead(plan.steps[0]); // while the sidecars start
      await startSidecars(plan.sidecars, pod, dirs, ctx, clock);
    }
    failure = await runSteps(plan, pod, dirs, ctx, clock, key, steps, containers);
  } catch (error) {
    // An engine call cut short by Ctrl-C or the timeout fails for that reason, given below.
    if (!clock.stopped) failure = asFailure(error);
  } finally {
    clock.dispose();
    await containers.settle();
    // Once every step has exited and no sidecar runs, nothing in the pod can touch the
    // TaskRun's files: the next TaskRun need not wait for the pod's removal.
    const removal = ctx.engine.removePod(pod);
    if (plan.sidecars.length > 0 || clock.stopped) await removal;
    else ctx.cleanups.push(removal);
    const owned = { plan, dirs, sinceMs: Date.parse(startTime), image: firstImage(plan, ctx) };
    await restoreTaskRunFiles(ctx.engine, ctx.emit, owned);
  }
  failure ??= clock.failure(key.taskRun);
  const outcome = collectResults(plan, dirs);
  if (!outcome.ok && !failure) failure = outcome;
  rmSync(dirs.root, { recursive: true, force: true });
  const status = buildStatus(key, request.retryCount, startTime, steps, outcome.results, failure);
  return { status, results: new Map(outcome.results.map((result) => [result.name, result.value])) };
}

function podName(runId: string, taskRun: string, retry: number): string {
  return `mallet-${runId}-${taskRun}${retry > 0 ? `-r${retry}` : ""}`;
}

// A pod's hostname is its name, which Kubernetes derives from the TaskRun's: `<run>-pod`.
function hostnameOf(taskRun: string): string {
  return `${taskRun.slice(0, 59)}-pod`.replace(/^-+|-+$/g, "");
}

function asFailure(error: unknown): Failure {
  if (error instanceof ImagePullError) return { reason: error.reason, message: error.message };
  return { reason: "TaskRunFailed", message: (error as Error).message };
}

async function runSteps(
  plan: TaskPlan,
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
  clock: TaskClock,
  key: TaskKey,
  statuses: StepStatus[],
  containers: StepContainers,
): Promise<Failure | undefined> {
  const stepResults = new Map<string, ParamValue>();
  let failure: Failure | undefined;
  for (const [index, planned] of plan.steps.entries()) {
    if (failure || clock.stopped) {
      statuses.push(
        stepStatus(planned, undefined, clock.stopped ? stoppedReason(clock) : "Skipped"),
      );
      continue;
    }
    const created = containers.createdAhead(planned);
    const step = created ? planned : applyStepResults(planned, stepResults);
    // Earlier steps' results are known only now: the script is written again with them.
    if (step !== planned) writeScript(step, dirs);
    containers.createAhead(plan.steps[index + 1]);
    const status = await runStep(step, pod, dirs, ctx, clock, key, created);
    statuses.push(status);
    readStepResults(step, dirs, stepResults);
    if (
      status.terminationReason === "Skipped" ||
      status.exitCode === 0 ||
      step.onError === "continue"
    )
      continue;
    failure = stepFailure(status);
  }
  return failure;
}

function stepFailure(status: StepStatus): Failure | undefined {
  if (status.terminationReason === "TimeoutExceeded") {
    return {
      reason: "Failed",
      message: `"${status.container}" exited because the step exceeded the specified timeout limit`,
    };
  }
  // Cancelled or timed out with its TaskRun: the TaskRun's own reason is given instead.
  if (status.terminationReason === "Cancelled" || status.terminationReason === "TaskRunTimeout")
    return undefined;
  return { reason: "Failed", message: `"${status.container}" exited with code ${status.exitCode}` };
}

async function runStep(
  step: StepPlan,
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
  clock: TaskClock,
  key: TaskKey,
  created: Promise<ContainerSpec> | undefined,
): Promise<StepStatus> {
  const exitFile = join(dirs.steps, step.containerName, "exitCode");
  if (!evaluateWhen(step.when).pass) {
    writeFileSync(exitFile, "0");
    return stepStatus(step, 0, "Skipped");
  }
  const spec = await (created ?? createStepContainer(step, pod, dirs, ctx));
  if (clock.stopped) return stepStatus(step, undefined, stoppedReason(clock));
  const started = Date.now();
  ctx.emit({ kind: "step-started", ...key, step: step.name });
  const { exitCode, stepTimedOut } = await attach(step, spec, ctx, clock, key);
  writeFileSync(exitFile, String(exitCode));
  const reason = terminationReason(exitCode, clock, stepTimedOut);
  const status = stepStatus(step, exitCode, reason);
  ctx.emit({
    kind: "step-finished",
    ...key,
    step: step.name,
    status,
    durationMs: Date.now() - started,
  });
  return status;
}

/** Creates a step's container, with its working directory, ready to start. */
async function createStepContainer(
  step: StepPlan,
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
): Promise<ContainerSpec> {
  const mounts = mergeMounts(internalMounts(dirs, step), [
    ...userMounts(step, dirs),
    ...(await stepCredentials(step, dirs, ctx)),
  ]);
  const spec = await containerSpec(step, pod, mounts, ctx);
  await ctx.engine.createContainer(spec);
  await ensureWorkingDir(step, spec, dirs, ctx);
  return spec;
}

async function attach(
  step: StepPlan,
  spec: ContainerSpec,
  ctx: TaskRunContext,
  clock: TaskClock,
  key: TaskKey,
): Promise<{ exitCode: number; stepTimedOut: boolean }> {
  const files = openCaptureFiles(step, spec);
  const splitters = {
    stdout: new LineSplitter((line) =>
      ctx.emit({ kind: "log", ...key, step: step.name, stream: "stdout", line }),
    ),
    stderr: new LineSplitter((line) =>
      ctx.emit({ kind: "log", ...key, step: step.name, stream: "stderr", line }),
    ),
  };
  const watch = clock.watch(ctx.engine, spec.name, step.timeoutMs);
  try {
    const exitCode = await ctx.engine.runAttached(spec.name, (stream, chunk) => {
      splitters[stream].push(chunk);
      files[stream]?.write(chunk);
    });
    return { exitCode, stepTimedOut: watch.stepTimedOut };
  } finally {
    clock.unwatch();
    splitters.stdout.flush();
    splitters.stderr.flush();
    await Promise.all(
      Object.values(files).map((file) => new Promise((resolve) => file?.end(resolve))),
    );
  }
}

function openCaptureFiles(
  step: StepPlan,
  spec: ContainerSpec,
): Partial<Record<"stdout" | "stderr", WriteStream>> {
  const files: Partial<Record<"stdout" | "stderr", WriteStream>> = {};
  for (const [stream, path] of [
    ["stdout", step.stdoutPath],
    ["stderr", step.stderrPath],
  ] as const) {
    if (!path) continue;
    const host = hostPathOf(path, spec.mounts);
    if (host) files[stream] = createWriteStream(host, { fd: openForWriting(host) });
  }
  return files;
}

function terminationReason(exitCode: number, clock: TaskClock, stepTimedOut: boolean): string {
  if (clock.stopped) return stoppedReason(clock);
  if (stepTimedOut) return "TimeoutExceeded";
  return exitCode === 0 ? "Completed" : "Error";
}

// What a step shows when its TaskRun was cancelled or timed out, as Tekton's step states do.
function stoppedReason(clock: TaskClock): string {
  return clock.cancelled ? "Cancelled" : "TaskRunTimeout";
}

function stepStatus(step: StepPlan, exitCode: number | undefined, reason: string): StepStatus {
  return { name: step.name, container: step.containerName, exitCode, terminationReason: reason };
}

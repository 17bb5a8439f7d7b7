import {
  createWriteStream,
  mkdirSync,
  readdirSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ContainerSpec, Engine } from "../backend/engine.ts";
import type { EventSink, TaskKey } from "../core/events.ts";
import type { ParamValue } from "../core/model/common.ts";
import type { StepStatus, TaskRunStatus } from "../core/status.ts";
import { resolveCommand, scriptContent } from "../core/task/entrypoint.ts";
import type { ContainerPlan, SidecarPlan, StepPlan, TaskPlan } from "../core/task/plan.ts";
import {
  parseResults,
  RESULTS_SIZE_LIMIT,
  RESULTS_TOO_LARGE,
  type ResultsOutcome,
} from "../core/task/results.ts";
import { substituteDeep } from "../core/subst/substitute.ts";
import { evaluateWhen } from "../core/task/when.ts";
import { splitWorkingDir } from "../core/task/working-dir.ts";
import {
  credentialMounts,
  homeOf,
  hostPathOf,
  internalMounts,
  mergeMounts,
  userMounts,
} from "./container-spec.ts";
import {
  makeDir,
  prepareTaskDirs,
  readContainerFile,
  type SharedDirs,
  type TaskDirs,
  openForWriting,
  writeInside,
} from "./host-dirs.ts";
import { type ImageCache, ImagePullError } from "./images.ts";
import { LineSplitter } from "./line-splitter.ts";
import { restoreTaskRunFiles } from "./ownership.ts";
import { StepContainers } from "./step-containers.ts";
import { applyStepResults, parseStepResult } from "./step-runtime.ts";
import { TaskClock, timerDelay } from "./task-clock.ts";

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

type Failure = { reason: string; message: string };

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

// An image the TaskRun has made present, for the engine's own helper containers.
function firstImage(plan: TaskPlan, ctx: TaskRunContext): string {
  return ctx.mapImage(plan.steps[0]?.image ?? "");
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

function writeScriptsAndCredentials(plan: TaskPlan, dirs: TaskDirs): void {
  for (const container of [...plan.steps, ...plan.sidecars]) writeScript(container, dirs);
  for (const file of plan.credentials) writeInside(dirs.creds, file.path, file.content, file.mode);
}

function writeScript(container: ContainerPlan, dirs: TaskDirs): void {
  if (container.script === undefined) return;
  writeFileSync(join(dirs.scripts, scriptFile(container)), scriptContent(container.script), {
    mode: 0o755,
  });
}

function scriptFile(container: ContainerPlan): string {
  return `script-${container.containerName}`;
}

async function startSidecars(
  sidecars: SidecarPlan[],
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
  clock: TaskClock,
) {
  for (const sidecar of sidecars) {
    if (clock.stopped) return;
    const mounts = mergeMounts(internalMounts(dirs, undefined), userMounts(sidecar, dirs));
    await ctx.engine.createContainer(await containerSpec(sidecar, pod, mounts, ctx));
    await ctx.engine.startDetached(`${pod}-${sidecar.containerName}`);
  }
  await Promise.all(
    sidecars.map((sidecar) => awaitReady(sidecar, `${pod}-${sidecar.containerName}`, ctx, clock)),
  );
}

async function awaitReady(
  sidecar: SidecarPlan,
  name: string,
  ctx: TaskRunContext,
  clock: TaskClock,
) {
  if (!sidecar.readiness) return;
  const period = timerDelay(Math.max(sidecar.readiness.periodMs || 0, 100));
  while (!clock.stopped) {
    if ((await clock.race(ctx.engine.exec(name, sidecar.readiness.command))) === 0) return;
    await clock.race(new Promise((resolve) => setTimeout(resolve, period)));
  }
}

async function containerSpec(
  container: ContainerPlan,
  pod: string,
  mounts: ContainerSpec["mounts"],
  ctx: TaskRunContext,
): Promise<ContainerSpec> {
  const image = ctx.mapImage(container.image);
  const argv =
    container.script !== undefined
      ? [`/tekton/scripts/${scriptFile(container)}`, ...container.args]
      : resolveCommand(
          container.command,
          container.args,
          container.command.length > 0 ? emptyImage : await ctx.images.inspect(image),
        );
  const [entrypoint = "", ...args] = argv;
  return {
    name: `${pod}-${container.containerName}`,
    image,
    pod,
    entrypoint,
    args,
    env: container.env,
    workingDir: container.workingDir,
    user: container.user,
    mounts,
    labels: ctx.labels,
  };
}

const emptyImage = { entrypoint: [], cmd: [], workingDir: "", user: "", env: [] };

// The image configurations the containers will need are read at once, while the pod is made.
function inspectAhead(plan: TaskPlan, ctx: TaskRunContext): void {
  const needsConfig = (container: ContainerPlan) =>
    plan.credentials.length > 0 ||
    (container.script === undefined && container.command.length === 0);
  const images = new Set(
    [...plan.steps, ...plan.sidecars].filter(needsConfig).map((c) => ctx.mapImage(c.image)),
  );
  // A failure is reported by the container that awaits the configuration, if any does.
  for (const image of images) ctx.images.inspect(image).catch(() => {});
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

// Kubernetes creates a missing workingDir; podman refuses to start without it. Inside a mount
// it is made on the host; elsewhere its missing part is copied in below a directory that
// every Linux image has, so no existing directory or symlink is replaced.
async function ensureWorkingDir(
  step: StepPlan,
  spec: ContainerSpec,
  dirs: TaskDirs,
  ctx: TaskRunContext,
) {
  if (!step.workingDir) return;
  const onHost = hostPathOf(step.workingDir, spec.mounts);
  if (onHost) {
    mkdirSync(onHost, { recursive: true, mode: 0o777 });
    return;
  }
  const split = splitWorkingDir(step.workingDir);
  if (!split) return;
  const tree = join(dirs.root, `workdir-${step.index}`);
  mkdirSync(join(tree, split.missing), { recursive: true, mode: 0o755 });
  const top = split.missing.split("/")[0] as string;
  await ctx.engine.copyInto(spec.name, join(tree, top), split.base);
}

async function stepCredentials(step: StepPlan, dirs: TaskDirs, ctx: TaskRunContext) {
  const paths = readdirSync(dirs.creds);
  if (paths.length === 0) return [];
  const image = await ctx.images.inspect(ctx.mapImage(step.image));
  return credentialMounts(dirs, paths, homeOf(step.env, image.env, step.user ?? image.user));
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

function readStepResults(step: StepPlan, dirs: TaskDirs, into: Map<string, ParamValue>): void {
  for (const result of step.results) {
    const path = join(dirs.steps, step.containerName, "results", result.name);
    const file = readContainerFile(path, RESULTS_SIZE_LIMIT);
    if (!file) continue;
    if (file.truncated) throw new ResultsTooLargeError(RESULTS_TOO_LARGE);
    into.set(`steps.${step.name}.results.${result.name}`, parseStepResult(file.text, result.type));
  }
}

class ResultsTooLargeError extends Error {}

// Result files are read only up to the limit: a step that writes gigabytes costs nothing.
function collectResults(plan: TaskPlan, dirs: TaskDirs): ResultsOutcome {
  try {
    return readResults(plan, dirs);
  } catch (error) {
    const reason =
      error instanceof ResultsTooLargeError
        ? "TaskRunResultLargerThanAllowedLimit"
        : "TaskRunValidationFailed";
    return { ok: false, reason, message: (error as Error).message, results: [] };
  }
}

function readResults(plan: TaskPlan, dirs: TaskDirs): ResultsOutcome {
  const raw = new Map<string, string>();
  const stepResults = new Map<string, ParamValue>();
  for (const step of plan.steps) readStepResults(step, dirs, stepResults);
  for (const result of plan.results) {
    const file = readContainerFile(join(dirs.results, result.name), RESULTS_SIZE_LIMIT);
    if (file?.truncated) throw new ResultsTooLargeError(RESULTS_TOO_LARGE);
    if (file) raw.set(result.name, file.text);
    else if (result.value !== undefined) {
      const value = substituteDeep(result.value, stepResults);
      if (!JSON.stringify(value).includes("$("))
        raw.set(result.name, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return parseResults(plan.results, raw);
}

function buildStatus(
  key: TaskKey,
  retryCount: number,
  startTime: string,
  steps: StepStatus[],
  results: TaskRunStatus["results"],
  failure: Failure | undefined,
): TaskRunStatus {
  const condition = failure
    ? { status: "False" as const, reason: failure.reason, message: failure.message }
    : {
        status: "True" as const,
        reason: "Succeeded",
        message: "All Steps have completed executing",
      };
  return {
    name: key.taskRun,
    pipelineTask: key.task === key.taskRun ? undefined : key.task,
    condition,
    steps,
    results,
    retryCount,
    startTime,
    completionTime: new Date().toISOString(),
  };
}

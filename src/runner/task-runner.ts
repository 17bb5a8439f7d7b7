import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ContainerSpec, Engine } from "../backend/engine.ts";
import { formatDuration } from "../core/duration.ts";
import type { EventSink, TaskKey } from "../core/events.ts";
import type { ParamValue } from "../core/model/common.ts";
import type { StepStatus, TaskRunStatus } from "../core/status.ts";
import { resolveCommand, scriptContent } from "../core/task/entrypoint.ts";
import type { ContainerPlan, SidecarPlan, StepPlan, TaskPlan } from "../core/task/plan.ts";
import { parseResults } from "../core/task/results.ts";
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
  type SharedDirs,
  type TaskDirs,
  writeInside,
} from "./host-dirs.ts";
import { type ImageCache, ImagePullError } from "./images.ts";
import { LineSplitter } from "./line-splitter.ts";
import { applyStepResults, parseStepResult } from "./step-runtime.ts";

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
  let failure: Failure | undefined;
  try {
    writeScriptsAndCredentials(plan, dirs);
    await Promise.all(
      plan.steps.map((step) => ctx.images.ensure(ctx.mapImage(step.image), step.imagePullPolicy)),
    );
    await ctx.engine.createPod(pod, hostnameOf(key.taskRun), ctx.labels);
    await startSidecars(plan.sidecars, pod, dirs, ctx, clock);
    failure = await runSteps(plan, pod, dirs, ctx, clock, key, steps);
  } catch (error) {
    failure = asFailure(error);
  } finally {
    clock.dispose();
    await ctx.engine.removePod(pod);
  }
  failure ??= clock.failure(key.taskRun, request.timeoutMs);
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

function writeScriptsAndCredentials(plan: TaskPlan, dirs: TaskDirs): void {
  for (const container of [...plan.steps, ...plan.sidecars]) {
    if (container.script === undefined) continue;
    writeFileSync(join(dirs.scripts, scriptFile(container)), scriptContent(container.script), {
      mode: 0o755,
    });
  }
  for (const file of plan.credentials) writeInside(dirs.creds, file.path, file.content, file.mode);
}

function scriptFile(container: ContainerPlan): string {
  return `script-${container.containerName}`;
}

/** Tracks the TaskRun's timeout and cancellation, stopping the running container when hit. */
class TaskClock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: { engine: Engine; name: string } | undefined;
  timedOut = false;
  readonly cancelled: () => boolean;
  private readonly onAbort = () => this.stopCurrent();

  constructor(
    timeoutMs: number | undefined,
    private readonly signal: AbortSignal,
  ) {
    this.cancelled = () => signal.aborted;
    signal.addEventListener("abort", this.onAbort);
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.stopCurrent();
      }, timeoutMs);
    }
  }

  get stopped(): boolean {
    return this.timedOut || this.signal.aborted;
  }

  watch(engine: Engine, name: string): void {
    this.current = { engine, name };
  }

  unwatch(): void {
    this.current = undefined;
  }

  private stopCurrent(): void {
    if (this.current) void this.current.engine.stopContainer(this.current.name);
  }

  failure(taskRun: string, timeoutMs: number | undefined): Failure | undefined {
    if (this.signal.aborted)
      return { reason: "TaskRunCancelled", message: `TaskRun "${taskRun}" was cancelled` };
    if (!this.timedOut) return undefined;
    const limit = formatDuration(timeoutMs ?? 0);
    return {
      reason: "TaskRunTimeout",
      message: `TaskRun "${taskRun}" failed to finish within "${limit}"`,
    };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.signal.removeEventListener("abort", this.onAbort);
  }
}

async function startSidecars(
  sidecars: SidecarPlan[],
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
  clock: TaskClock,
) {
  for (const sidecar of sidecars) {
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
  while (!clock.stopped) {
    if ((await ctx.engine.exec(name, sidecar.readiness.command)) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, sidecar.readiness?.periodMs ?? 1000));
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

async function runSteps(
  plan: TaskPlan,
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
  clock: TaskClock,
  key: TaskKey,
  statuses: StepStatus[],
): Promise<Failure | undefined> {
  const stepResults = new Map<string, ParamValue>();
  let failure: Failure | undefined;
  for (const planned of plan.steps) {
    if (failure || clock.stopped) {
      statuses.push(stepStatus(planned, undefined, clock.stopped ? "Cancelled" : "Skipped"));
      continue;
    }
    const step = applyStepResults(planned, stepResults);
    const status = await runStep(step, pod, dirs, ctx, clock, key);
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
  if (status.terminationReason === "Cancelled") return undefined;
  return { reason: "Failed", message: `"${status.container}" exited with code ${status.exitCode}` };
}

async function runStep(
  step: StepPlan,
  pod: string,
  dirs: TaskDirs,
  ctx: TaskRunContext,
  clock: TaskClock,
  key: TaskKey,
): Promise<StepStatus> {
  const exitFile = join(dirs.steps, step.containerName, "exitCode");
  if (!evaluateWhen(step.when).pass) {
    writeFileSync(exitFile, "0");
    return stepStatus(step, 0, "Skipped");
  }
  const mounts = mergeMounts(internalMounts(dirs, step), [
    ...userMounts(step, dirs),
    ...(await stepCredentials(step, dirs, ctx)),
  ]);
  const spec = await containerSpec(step, pod, mounts, ctx);
  await ctx.engine.createContainer(spec);
  await ensureWorkingDir(step, spec, dirs, ctx);
  const started = Date.now();
  ctx.emit({ kind: "step-started", ...key, step: step.name });
  const exitCode = await attach(step, spec, ctx, clock, key);
  writeFileSync(exitFile, String(exitCode));
  const reason = terminationReason(exitCode, clock, step, started);
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
): Promise<number> {
  const files = openCaptureFiles(step, spec);
  const splitters = {
    stdout: new LineSplitter((line) =>
      ctx.emit({ kind: "log", ...key, step: step.name, stream: "stdout", line }),
    ),
    stderr: new LineSplitter((line) =>
      ctx.emit({ kind: "log", ...key, step: step.name, stream: "stderr", line }),
    ),
  };
  const stepTimer = step.timeoutMs
    ? setTimeout(() => void ctx.engine.stopContainer(spec.name), step.timeoutMs)
    : undefined;
  clock.watch(ctx.engine, spec.name);
  try {
    return await ctx.engine.runAttached(spec.name, (stream, chunk) => {
      splitters[stream].push(chunk);
      files[stream]?.write(chunk);
    });
  } finally {
    clock.unwatch();
    if (stepTimer) clearTimeout(stepTimer);
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
    if (host) files[stream] = createWriteStream(host);
  }
  return files;
}

function terminationReason(
  exitCode: number,
  clock: TaskClock,
  step: StepPlan,
  started: number,
): string {
  if (clock.cancelled()) return "Cancelled";
  if (clock.timedOut) return "TimeoutExceeded";
  if (step.timeoutMs && exitCode !== 0 && Date.now() - started >= step.timeoutMs)
    return "TimeoutExceeded";
  return exitCode === 0 ? "Completed" : "Error";
}

function stepStatus(step: StepPlan, exitCode: number | undefined, reason: string): StepStatus {
  return { name: step.name, container: step.containerName, exitCode, terminationReason: reason };
}

function readStepResults(step: StepPlan, dirs: TaskDirs, into: Map<string, ParamValue>): void {
  for (const result of step.results) {
    const file = join(dirs.steps, step.containerName, "results", result.name);
    if (!existsSync(file)) continue;
    into.set(
      `steps.${step.name}.results.${result.name}`,
      parseStepResult(readFileSync(file, "utf8"), result.type),
    );
  }
}

function collectResults(plan: TaskPlan, dirs: TaskDirs) {
  const raw = new Map<string, string>();
  const stepResults = new Map<string, ParamValue>();
  for (const step of plan.steps) readStepResults(step, dirs, stepResults);
  for (const result of plan.results) {
    const file = join(dirs.results, result.name);
    if (existsSync(file)) raw.set(result.name, readFileSync(file, "utf8"));
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

// What a TaskRun sets up around its steps: script files, sidecars, container specs with the
// entrypoint rule and mounts, working directories and credentials.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ContainerSpec } from "../backend/engine.ts";
import { resolveCommand, scriptContent } from "../core/task/entrypoint.ts";
import type { ContainerPlan, SidecarPlan, StepPlan, TaskPlan } from "../core/task/plan.ts";
import { splitWorkingDir } from "../core/task/working-dir.ts";
import {
  credentialMounts,
  homeOf,
  hostPathOf,
  internalMounts,
  mergeMounts,
  userMounts,
} from "./container-spec.ts";
import { type TaskDirs, writeInside } from "./host-dirs.ts";
import { TaskClock, timerDelay } from "./task-clock.ts";
import type { TaskRunContext } from "./task-runner.ts";

// An image the TaskRun has made present, for the engine's own helper containers.
export function firstImage(plan: TaskPlan, ctx: TaskRunContext): string {
  return ctx.mapImage(plan.steps[0]?.image ?? "");
}

export function writeScriptsAndCredentials(plan: TaskPlan, dirs: TaskDirs): void {
  for (const container of [...plan.steps, ...plan.sidecars]) writeScript(container, dirs);
  for (const file of plan.credentials) writeInside(dirs.creds, file.path, file.content, file.mode);
}

export function writeScript(container: ContainerPlan, dirs: TaskDirs): void {
  if (container.script === undefined) return;
  writeFileSync(join(dirs.scripts, scriptFile(container)), scriptContent(container.script), {
    mode: 0o755,
  });
}

export function scriptFile(container: ContainerPlan): string {
  return `script-${container.containerName}`;
}

export async function startSidecars(
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

export async function awaitReady(
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

export async function containerSpec(
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

export const emptyImage = { entrypoint: [], cmd: [], workingDir: "", user: "", env: [] };

// The image configurations the containers will need are read at once, while the pod is made.
export function inspectAhead(plan: TaskPlan, ctx: TaskRunContext): void {
  const needsConfig = (container: ContainerPlan) =>
    plan.credentials.length > 0 ||
    (container.script === undefined && container.command.length === 0);
  const images = new Set(
    [...plan.steps, ...plan.sidecars].filter(needsConfig).map((c) => ctx.mapImage(c.image)),
  );
  // A failure is reported by the container that awaits the configuration, if any does.
  for (const image of images) ctx.images.inspect(image).catch(() => {});
}

// Kubernetes creates a missing workingDir; podman refuses to start without it. Inside a mount
// it is made on the host; elsewhere its missing part is copied in below a directory that
// every Linux image has, so no existing directory or symlink is replaced.
export async function ensureWorkingDir(
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

export async function stepCredentials(step: StepPlan, dirs: TaskDirs, ctx: TaskRunContext) {
  const paths = readdirSync(dirs.creds);
  if (paths.length === 0) return [];
  const image = await ctx.images.inspect(ctx.mapImage(step.image));
  return credentialMounts(dirs, paths, homeOf(step.env, image.env, step.user ?? image.user));
}

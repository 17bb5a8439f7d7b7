import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { TaskPlan } from "../core/task/plan.ts";
import type { VolumeSource } from "../core/task/volumes.ts";

/** The host directories behind one TaskRun's `/workspace` and `/tekton/*` mounts. */
export interface TaskDirs {
  root: string;
  workspace: string;
  home: string;
  results: string;
  scripts: string;
  steps: string;
  run: string;
  creds: string;
  /** Host directory of each planned volume, by key. */
  volumes: Map<string, string>;
}

/** Directories that outlive a TaskRun: claims (PVCs) live under the state directory. */
export interface SharedDirs {
  claims: string;
}

// Steps may run as any user (runAsUser): internal directories are world-writable, as an
// emptyDir is on a cluster.
const OPEN = 0o777;

/** Creates a TaskRun's directories, step status folders and volume contents under `root`. */
export function prepareTaskDirs(root: string, plan: TaskPlan, shared: SharedDirs): TaskDirs {
  const dirs: TaskDirs = {
    root,
    workspace: makeDir(join(root, "workspace")),
    home: makeDir(join(root, "home")),
    results: makeDir(join(root, "results")),
    scripts: makeDir(join(root, "scripts")),
    steps: makeDir(join(root, "steps")),
    run: makeDir(join(root, "run")),
    creds: makeDir(join(root, "creds")),
    volumes: new Map(),
  };
  for (const step of plan.steps) {
    makeDir(join(dirs.steps, step.containerName, "results"));
    makeDir(join(dirs.run, String(step.index)));
    symlinkSync(step.containerName, join(dirs.steps, String(step.index)));
  }
  for (const [key, source] of plan.volumes) {
    dirs.volumes.set(key, materializeVolume(join(root, "volumes", key), source, shared));
  }
  return dirs;
}

function materializeVolume(dir: string, source: VolumeSource, shared: SharedDirs): string {
  switch (source.type) {
    case "emptyDir":
      return makeDir(dir);
    case "host":
      return resolve(source.path);
    case "claim":
      return makeDir(join(shared.claims, safeName(source.claim)));
    case "files":
      makeDir(dir);
      for (const file of source.files)
        writeInside(dir, file.path, file.content, file.mode ?? 0o644);
      return dir;
  }
}

/** Writes `content` at `path` below `dir`, refusing paths that climb out of it. */
export function writeInside(dir: string, path: string, content: string, mode: number): void {
  const target = resolveInside(dir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content, { mode });
  chmodSync(target, mode);
}

/** Resolves `path` below `dir`; throws when `..` or an absolute path would leave it. */
export function resolveInside(dir: string, path: string): string {
  const target = resolve(dir, path.replace(/^\/+/, ""));
  const rel = relative(dir, target);
  if (rel.startsWith("..") || rel.split(sep).includes("..")) {
    throw new Error(`path "${path}" leaves its volume`);
  }
  return target;
}

export function makeDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: OPEN });
  chmodSync(path, OPEN);
  return path;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_") || "claim";
}

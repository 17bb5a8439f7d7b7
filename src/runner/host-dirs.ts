import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
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
  if (!isWithin(dir, target)) throw new Error(`path "${path}" leaves its volume`);
  return target;
}

/**
 * Resolves `path` below `dir` as the disk has it: a symbolic link that a container left in a
 * volume may not lead out of it either. Returns the path with such links resolved.
 * LIMITATION: a container running at the same moment (a sidecar, a parallel TaskRun on the
 * same workspace) could swap a directory for a link between this check and its use; Node has
 * no openat/mkdirat to close that window.
 */
export function containedPath(dir: string, path: string): string {
  const target = resolveInside(dir, path);
  let root: string;
  try {
    root = realpathSync(dir);
  } catch {
    return target;
  }
  let existing = target;
  while (existing !== dir && !lexists(existing)) existing = dirname(existing);
  const real = realOrUndefined(existing);
  if (real === undefined || !isWithin(root, real)) {
    throw new Error(`path "${path}" leaves its volume through a symbolic link`);
  }
  return join(real, relative(existing, target));
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

// undefined for a dangling symbolic link, which could point anywhere once created.
function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Reads at most `maxBytes` of a file a container wrote. Symbolic links are refused (they could
 * name any host file); undefined when the file does not exist.
 */
export function readContainerFile(
  path: string,
  maxBytes: number,
): { text: string; truncated: boolean } | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`${path.split(sep).pop()} is not a regular file`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(`${path.split(sep).pop()} is not a regular file`);
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes + 1));
    const length = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, 0) : 0;
    return { text: buffer.subarray(0, length).toString("utf8"), truncated: stats.size > maxBytes };
  } finally {
    closeSync(fd);
  }
}

/** Opens a file for writing, refusing a symbolic link a container may have put at its name. */
export function openForWriting(path: string): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
  try {
    return openSync(path, flags, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOOP") throw error;
    throw new Error(`${path.split(sep).pop()} is a symbolic link: not written through`);
  }
}

function isWithin(dir: string, target: string): boolean {
  const rel = relative(dir, target);
  return !(rel.startsWith("..") || rel.split(sep).includes("..")) && !rel.startsWith(sep);
}

export function makeDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: OPEN });
  chmodSync(path, OPEN);
  return path;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_") || "claim";
}

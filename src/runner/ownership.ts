import { existsSync, lchownSync, lstatSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { Engine } from "../backend/engine.ts";
import type { EventSink } from "../core/events.ts";
import type { TaskPlan } from "../core/task/plan.ts";
import type { TaskDirs } from "./host-dirs.ts";

/** A numeric user and group. */
export interface Owner {
  uid: number;
  gid: number;
}

/** Who files should belong to: the user behind `sudo` when run by it, else the process's own. */
export function invokingUser(
  env: NodeJS.ProcessEnv = process.env,
  self: Owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
): Owner {
  const uid = Number(env.SUDO_UID);
  const gid = Number(env.SUDO_GID);
  if (self.uid === 0 && Number.isInteger(uid) && Number.isInteger(gid) && env.SUDO_UID) {
    return { uid, gid };
  }
  return self;
}

/** Entries below a directory that the run left to someone else, by path relative to it. */
export interface StrayEntries {
  /** Not owned by the user and created since the TaskRun started ("" is the directory). */
  paths: string[];
  /** Directories that could not be read, so were not entered. */
  unread: string[];
}

// Kernel timestamps come from a coarse clock that may lag the process's by a few ticks.
const CLOCK_SLACK_MS = 1000;

/**
 * Walks `root` without following symlinks (a link is listed itself, never its target) and
 * lists what belongs to another user and was created since `sinceMs`, so files that were
 * there before the run keep their owner.
 */
export function strayEntries(root: string, owner: Owner, sinceMs: number): StrayEntries {
  const found: StrayEntries = { paths: [], unread: [] };
  const pending = [""];
  while (pending.length > 0) {
    const rel = pending.pop() as string;
    const stats = lstatSync(join(root, rel), { throwIfNoEntry: false });
    if (!stats) continue;
    if (stats.uid !== owner.uid && createdMs(stats) >= sinceMs - CLOCK_SLACK_MS) {
      found.paths.push(rel);
    }
    if (!stats.isDirectory()) continue;
    try {
      for (const name of readdirSync(join(root, rel))) pending.push(rel ? `${rel}/${name}` : name);
    } catch {
      found.unread.push(rel);
    }
  }
  return found;
}

// Birth time where the file system records it; else the last change, which is no earlier.
function createdMs(stats: Stats): number {
  return stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.ctimeMs;
}

export interface OwnershipRequest {
  /** Host directories the TaskRun's containers wrote to. */
  trees: readonly string[];
  /** When the TaskRun started. */
  sinceMs: number;
  /** An image already present, for engines that must change owners from a container. */
  image: string;
  owner: Owner;
}

/**
 * Gives files that steps created in host directories to the invoking user: by `lchown` when
 * Mallet runs as root (sudo), else through the engine (rootless podman's user namespace, or
 * a root container for a rootful daemon). A directory first unreadable is entered once its
 * owner has changed. Root needs nothing: it can remove anything a step left.
 */
export async function restoreOwnership(engine: Engine, request: OwnershipRequest): Promise<void> {
  const { owner } = request;
  if (owner.uid === 0) return;
  const asRoot = (process.getuid?.() ?? 0) === 0;
  for (const tree of request.trees) {
    if (!existsSync(tree)) continue;
    for (let pass = 0; pass < 3; pass++) {
      const stray = strayEntries(tree, owner, request.sinceMs);
      if (stray.paths.length === 0) break;
      if (asRoot) {
        for (const path of stray.paths) lchownSync(join(tree, path), owner.uid, owner.gid);
      } else {
        const chown = { root: tree, paths: stray.paths, ...owner, image: request.image };
        await engine.chown(chown);
      }
      if (stray.unread.length === 0) break;
    }
  }
}

/**
 * After a TaskRun: gives what its steps created in host workspaces and claims to the user,
 * and, when Mallet is not root, in its own temporary directory too, so it can remove it.
 * A failure is a warning: the run's outcome does not depend on it.
 */
export async function restoreTaskRunFiles(
  engine: Engine,
  emit: EventSink,
  run: { plan: TaskPlan; dirs: TaskDirs; sinceMs: number; image: string },
): Promise<void> {
  const trees = [...run.plan.volumes]
    .filter(([, source]) => source.type === "host" || source.type === "claim")
    .map(([key]) => run.dirs.volumes.get(key) as string);
  if ((process.getuid?.() ?? 0) !== 0) trees.push(run.dirs.root);
  const request = { trees, sinceMs: run.sinceMs, image: run.image, owner: invokingUser() };
  try {
    await restoreOwnership(engine, request);
  } catch (error) {
    emit({
      kind: "warning",
      message: `could not give files back to you: ${(error as Error).message}`,
    });
  }
}

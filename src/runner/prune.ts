import type { Engine } from "../backend/engine.ts";
import { isRunAlive, listRunDirs, type RunDir, removeRunDir } from "./run-dirs.ts";
import { RUN_LABEL } from "./session.ts";

export interface PruneOptions {
  /** Only this run's pods, containers, volumes and temporary directory, live or not. */
  runId?: string;
  /** Also every labelled object whose run left no temporary directory (or is still going). */
  all?: boolean;
  /** Where run directories are looked for (the system's temporary directory). */
  tempDir?: string;
}

/** What was removed for one run. */
export interface PrunedRun {
  runId: string;
  /** Pods, containers and volumes removed. */
  objects: number;
  dirs: string[];
}

export interface PruneReport {
  runs: PrunedRun[];
  /** Runs whose Mallet process is still running: left alone. */
  live: string[];
  /** Objects removed by `all` beyond those of the runs listed. */
  unowned: number;
}

/**
 * Removes what killed runs left behind: a run whose temporary directory names a process that
 * no longer runs loses its pods, containers, volumes and directory. Live runs are kept.
 */
export async function pruneRuns(engine: Engine, options: PruneOptions = {}): Promise<PruneReport> {
  const dirs = listRunDirs(options.tempDir);
  if (options.runId !== undefined) {
    const own = dirs.filter((dir) => dir.runId === options.runId);
    return { runs: [await pruneRun(engine, options.runId, own)], live: [], unowned: 0 };
  }
  const live = new Set(dirs.filter((dir) => isRunAlive(dir)).map((dir) => dir.runId));
  const stale = groupByRun(dirs.filter((dir) => !live.has(dir.runId)));
  const runs: PrunedRun[] = [];
  for (const [runId, own] of stale) runs.push(await pruneRun(engine, runId, own));
  const unowned = options.all ? await engine.removeLabelled(RUN_LABEL) : 0;
  return { runs, live: options.all ? [] : [...live], unowned };
}

async function pruneRun(engine: Engine, runId: string, dirs: RunDir[]): Promise<PrunedRun> {
  const objects = await engine.removeLabelled(RUN_LABEL, runId);
  for (const dir of dirs) removeRunDir(dir.path);
  return { runId, objects, dirs: dirs.map((dir) => dir.path) };
}

function groupByRun(dirs: RunDir[]): Map<string, RunDir[]> {
  const byRun = new Map<string, RunDir[]>();
  for (const dir of dirs) byRun.set(dir.runId, [...(byRun.get(dir.runId) ?? []), dir]);
  return byRun;
}

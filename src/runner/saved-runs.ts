import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MalletError } from "../core/errors.ts";
import type { JsonRun } from "../ui/json-format.ts";
import type { SavedEvent } from "../ui/replay.ts";
import { runsDir } from "./run-store.ts";

/** A run saved under `<stateDir>/runs/`, as `mallet runs` lists it. */
export interface SavedRun {
  name: string;
  dir: string;
  kind: "TaskRun" | "PipelineRun" | undefined;
  /** When its first event was saved. */
  startTime: string | undefined;
  /** The final status; absent while the run goes on or when it was killed. */
  status: JsonRun | undefined;
}

/** The saved runs of a state directory, oldest first. */
export function listSavedRuns(stateDir: string): SavedRun[] {
  const root = runsDir(stateDir);
  if (!existsSync(root)) return [];
  const runs = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readSavedRun(join(root, entry.name), entry.name));
  return runs.sort((a, b) => (a.startTime ?? "").localeCompare(b.startTime ?? ""));
}

function readSavedRun(dir: string, name: string): SavedRun {
  const statusFile = join(dir, "status.json");
  const status = existsSync(statusFile)
    ? (JSON.parse(readFileSync(statusFile, "utf8")) as JsonRun)
    : undefined;
  const first = readFirstEvent(dir);
  const kind = status?.kind ?? (first?.event.kind === "run-started" ? first.event.type : undefined);
  return { name, dir, kind, startTime: first?.time ?? status?.startTime, status };
}

function readFirstEvent(dir: string): SavedEvent | undefined {
  const file = join(dir, "events.jsonl");
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, "utf8").split("\n", 1)[0];
  return line ? (JSON.parse(line) as SavedEvent) : undefined;
}

/** Every saved event of a run, in order; a line cut short by a crash is dropped. */
export function readSavedEvents(run: SavedRun): SavedEvent[] {
  const file = join(run.dir, "events.jsonl");
  if (!existsSync(file)) return [];
  const events: SavedEvent[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as SavedEvent);
    } catch {}
  }
  return events;
}

/** The run named (or whose name starts so, when only one does), or the latest one. */
export function findSavedRun(stateDir: string, name: string | undefined): SavedRun {
  const runs = listSavedRuns(stateDir);
  if (runs.length === 0) throw new MalletError("INPUT", `no saved runs in ${runsDir(stateDir)}`);
  if (name === undefined) return runs[runs.length - 1] as SavedRun;
  const exact = runs.find((run) => run.name === name);
  if (exact) return exact;
  const prefixed = runs.filter((run) => run.name.startsWith(name));
  if (prefixed.length === 1) return prefixed[0] as SavedRun;
  const hint = prefixed.length > 1 ? `several runs start with "${name}"` : `no saved run "${name}"`;
  throw new MalletError("INPUT", `${hint}; see mallet runs`);
}

/** Which runs pruning removes. */
export interface PrunePolicy {
  /** Keep this many of the newest runs. */
  keep?: number;
  /** Remove runs started longer ago than this. */
  olderThanMs?: number;
}

/** The runs a policy removes (pure): beyond the newest `keep`, or older than `olderThanMs`. */
export function selectRunsToPrune(
  runs: readonly SavedRun[],
  policy: PrunePolicy,
  now: number,
): SavedRun[] {
  const newestFirst = [...runs].reverse();
  return newestFirst.filter((run, index) => {
    if (policy.keep !== undefined && index >= policy.keep) return true;
    if (policy.olderThanMs === undefined) return false;
    const started = run.startTime ? Date.parse(run.startTime) : 0;
    return now - started > policy.olderThanMs;
  });
}

/** Removes the runs the policy selects and returns their names. */
export function pruneRuns(stateDir: string, policy: PrunePolicy, now = Date.now()): string[] {
  const doomed = selectRunsToPrune(listSavedRuns(stateDir), policy, now);
  for (const run of doomed) rmSync(run.dir, { recursive: true, force: true });
  return doomed.map((run) => run.name);
}

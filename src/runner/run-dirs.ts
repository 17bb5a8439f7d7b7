import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The file in a run's temporary directory that names the Mallet process running it. */
const OWNER_FILE = "mallet.pid";
const RUN_DIR = /^mallet-([0-9a-f]{8})-/;
// A directory is written before its owner file; one this old without it was never claimed.
const UNCLAIMED_GRACE_MS = 60_000;

/** A run's temporary directory, found again by `mallet prune`. */
export interface RunDir {
  runId: string;
  path: string;
}

/**
 * Creates the run's temporary directory, `mallet-<run id>-XXXXXX`, and records in it which
 * process owns it, so that `mallet prune` can tell a live run from one that was killed.
 */
export function createRunDir(runId: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `mallet-${runId}-`));
  writeFileSync(join(dir, OWNER_FILE), `${process.pid} ${startTimeOf(process.pid) ?? ""}\n`);
  return dir;
}

/** Every run directory under `parent`, live or not. */
export function listRunDirs(parent = tmpdir()): RunDir[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const runId = RUN_DIR.exec(name)?.[1];
    return runId ? [{ runId, path: join(parent, name) }] : [];
  });
}

/** Whether the Mallet process that owns the directory is still running. */
export function isRunAlive(dir: RunDir, now = Date.now()): boolean {
  let owner: string;
  try {
    owner = readFileSync(join(dir.path, OWNER_FILE), "utf8");
  } catch {
    return isRecent(dir.path, now);
  }
  const [pidText = "", started = ""] = owner.trim().split(" ");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (!processExists(pid)) return false;
  // The same pid with another start time is a new process that reused the number.
  const current = startTimeOf(pid);
  return started === "" || current === undefined || current === started;
}

/** Removes a run's temporary directory; containers may have written files owned by others. */
export function removeRunDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

function isRecent(path: string, now: number): boolean {
  try {
    return now - statSync(path).mtimeMs < UNCLAIMED_GRACE_MS;
  } catch {
    return false;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// The 22nd field of /proc/<pid>/stat: when the process started, in clock ticks since boot.
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

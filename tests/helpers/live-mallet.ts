import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunStatus } from "../../src/core/status.ts";
import { IMAGE_MAP, malletCommand, ROOT } from "./mallet.ts";

/** A Mallet process under test, with its own temporary directory, that can be signalled. */
export interface LiveMallet {
  child: ChildProcess;
  /** Its TMPDIR: the run's `mallet-<id>-*` directory appears here. */
  tmp: string;
  output(): string;
  /** Resolves once the output holds `text`; rejects after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** The run id, read from the run directory's name once it exists. */
  runId(timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  statuses(): RunStatus[];
  /** Removes the test's own temporary directory. */
  dispose(): void;
}

export interface StartOptions {
  stdin?: string;
  /** Its own process group, so that a signal can reach every process in it, as Ctrl-C does. */
  group?: boolean;
  /** Directories put first on PATH (an engine shim). */
  path?: string[];
  /** Share another process's TMPDIR. */
  tmp?: string;
}

/** Starts `mallet run - <args>` on `yaml` with the stand-in image map. */
export function startMallet(yaml: string, args: string[] = [], options: StartOptions = {}) {
  const tmp = options.tmp ?? mkdtempSync(join(tmpdir(), "signals-test-"));
  const statusFile = join(tmp, `status-${Math.random().toString(16).slice(2)}.json`);
  const [command, ...rest] = [
    ...malletCommand(),
    ...["run", "-", "--image-map", IMAGE_MAP, "--status-file", statusFile, "-o", "plain"],
    ...args,
  ];
  const child = spawn(command as string, rest, {
    cwd: ROOT,
    env: {
      ...process.env,
      NO_COLOR: "1",
      TMPDIR: tmp,
      PATH: [...(options.path ?? []), process.env.PATH].join(":"),
    },
    stdio: ["pipe", "pipe", "pipe"],
    detached: options.group ?? false,
  });
  child.stdin?.end(yaml);
  let text = "";
  const waiters: Array<() => void> = [];
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("close", (code, signal) => done({ code, signal })),
  );
  const live: LiveMallet = {
    child,
    tmp,
    output: () => text,
    waitFor: (wanted, timeoutMs = 90_000) =>
      until(
        () => text.includes(wanted),
        waiters,
        timeoutMs,
        () => `"${wanted}" in:\n${text}`,
      ),
    runId: async (timeoutMs = 90_000) => {
      let id: string | undefined;
      await poll(() => (id = runIdsIn(tmp)[0]) !== undefined, timeoutMs, "a run directory");
      return id as string;
    },
    exited,
    statuses: () => {
      try {
        return JSON.parse(readFileSync(statusFile, "utf8")) as RunStatus[];
      } catch {
        return [];
      }
    },
    dispose: () => {
      if (!options.tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
  return live;
}

/** The run ids of the `mallet-<id>-*` directories in `dir`. */
export function runIdsIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => /^mallet-([0-9a-f]{8})-/.exec(name)?.[1] ?? []);
}

/** What a run left: the engine's list commands filtered by its label, and its directories. */
export function leftovers(runId: string, tmp: string) {
  const list = (args: string[]) =>
    spawnSync("podman", [...args, "--filter", `label=mallet.run=${runId}`], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean);
  return {
    containers: list(["ps", "--all", "--quiet"]),
    pods: list(["pod", "ps", "--quiet"]),
    volumes: list(["volume", "ls", "--quiet"]),
    dirs: readdirSync(tmp).filter((name) => name.startsWith(`mallet-${runId}-`)),
  };
}

export const NOTHING = { containers: [], pods: [], volumes: [], dirs: [] };

/** Names of the run's containers that exist right now. */
export function containersOf(runId: string): string[] {
  const result = spawnSync(
    "podman",
    ["ps", "--all", "--format", "{{.Names}}", "--filter", `label=mallet.run=${runId}`],
    { encoding: "utf8" },
  );
  return result.stdout.split("\n").filter(Boolean);
}

/** Waits until `check` holds, polling; rejects after `timeoutMs`. */
export async function poll(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

function until(
  check: () => boolean,
  waiters: Array<() => void>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${describe()}`)),
      timeoutMs,
    );
    const test = () => {
      if (check()) {
        clearTimeout(timer);
        resolve();
      } else waiters.push(test);
    };
    test();
  });
}

/** Lines of `ps` naming `text`: the processes (engine commands, containers) still running. */
export function processesMentioning(text: string): string[] {
  const result = spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return result.stdout
    .split("\n")
    .filter((line) => line.includes(text) && !line.includes("ps -eo"));
}

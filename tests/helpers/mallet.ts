import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RunStatus } from "../../src/core/status.ts";

/** The repository root, for paths to examples and fixtures. */
export const ROOT = resolve(import.meta.dir, "../..");
/** The upstream Tekton examples and their stand-in image map. */
export const EXAMPLES = resolve(ROOT, "../shared/tekton-examples");
export const IMAGE_MAP = join(EXAMPLES, "images.yaml");

/**
 * How to start mallet: the compiled binary when MALLET_BIN is set (CI runs the suites against
 * it), else the source through the Bun that runs the tests.
 */
export function malletCommand(): string[] {
  const bin = process.env.MALLET_BIN;
  if (bin) return [resolve(bin)];
  return [process.execPath, join(ROOT, "src/cli/main.ts")];
}

export interface MalletResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The final status of each run (from --status-file); empty when mallet stopped early. */
  statuses: RunStatus[];
}

export interface MalletOptions {
  cwd?: string;
  stdin?: string;
  env?: Record<string, string>;
  /** Pass --status-file and parse it (default true for `run`). */
  status?: boolean;
}

/** Runs the mallet CLI as a user would and collects its exit code, output and final status. */
export async function mallet(args: string[], options: MalletOptions = {}): Promise<MalletResult> {
  const dir = mkdtempSync(join(tmpdir(), "mallet-test-"));
  const statusFile = join(dir, "status.json");
  const wantsStatus = (options.status ?? args[0] === "run") && args[0] === "run";
  const fullArgs = wantsStatus ? [...args, "--status-file", statusFile] : args;
  const [command, ...rest] = [...malletCommand(), ...fullArgs];
  const child = spawn(command as string, rest, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...testEngineEnv(), ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(options.stdin ?? "");
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const exitCode = await new Promise<number>((done) =>
    child.on("close", (code) => done(code ?? 1)),
  );
  let statuses: RunStatus[] = [];
  try {
    statuses = JSON.parse(readFileSync(statusFile, "utf8")) as RunStatus[];
  } catch {}
  rmSync(dir, { recursive: true, force: true });
  return {
    exitCode,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
    statuses,
  };
}

/**
 * MALLET_TEST_ENGINE=docker runs every black-box test on docker; without DOCKER_HOST, the
 * docker CLI talks to podman's Docker-compatible API on /tmp/podman.sock (scripts/setup.sh).
 */
export function testEngineEnv(): Record<string, string> {
  const engine = process.env.MALLET_TEST_ENGINE;
  if (!engine) return {};
  const host = engine === "docker" && !process.env.DOCKER_HOST ? { DOCKER_HOST: PODMAN_API } : {};
  return { MALLET_ENGINE: engine, ...host };
}

/** Where scripts/setup.sh --docker-api serves podman's Docker-compatible API. */
export const PODMAN_API = "unix:///tmp/podman.sock";

/** Runs YAML text through `mallet run -` with the stand-in image map. */
export function runYaml(yaml: string, extraArgs: string[] = [], options: MalletOptions = {}) {
  return mallet(["run", "-", "--image-map", IMAGE_MAP, ...extraArgs], { ...options, stdin: yaml });
}

/** A result's value from a run status, by TaskRun (or pipeline task) and result name. */
export function resultOf(status: RunStatus | undefined, task: string, result: string) {
  const run = status?.taskRuns.find((item) => item.pipelineTask === task || item.name === task);
  return run?.results.find((item) => item.name === result)?.value;
}

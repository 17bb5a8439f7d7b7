import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function realPodman(): string {
  return spawnSync("sh", ["-c", "command -v podman"], { encoding: "utf8" }).stdout.trim();
}

const made: string[] = [];

/** Removes every shim this process made (call it in afterAll). */
export function removeShims(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function writeShim(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "engine-shim-"));
  made.push(dir);
  writeFileSync(join(dir, "podman"), `#!/bin/sh\n${body}\nexec ${realPodman()} "$@"\n`);
  chmodSync(join(dir, "podman"), 0o755);
  return dir;
}

/**
 * A directory holding a `podman` that sleeps before the commands named (`pod create`,
 * `image inspect`...) and then runs the real one, so a test can act while Mallet waits on it.
 */
export function slowEngine(delays: Record<string, number>): string {
  const cases = Object.entries(delays)
    .map(([command, seconds]) => `  "${command}"*) sleep ${seconds} ;;`)
    .join("\n");
  return writeShim(`case "$*" in\n${cases}\nesac`);
}

/** A directory holding a `podman` that appends each command line to `log`, then runs it. */
export function recordingEngine(log: string): string {
  return writeShim(`echo "$*" >> '${log}'`);
}

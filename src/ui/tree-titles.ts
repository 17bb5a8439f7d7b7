import type { StepStatus } from "../core/status.ts";
import { colorWanted, palette } from "./colors.ts";

// The tree only runs on a terminal, so it is in colour unless NO_COLOR says otherwise.
const color = palette(colorWanted(true));

/** Elapsed time as the tree shows it: `0.4s`, `12s`, `3m05s`. */
export function formatElapsed(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** A node under way: its name and the time since it started. */
export function runningTitle(name: string, startedAt: number): string {
  return `${name} ${color.dim(formatElapsed(Date.now() - startedAt))}`;
}

/** A node that ended well, with the reason when it says more than "it worked". */
export function finishedTitle(name: string, reason: string, durationMs: number): string {
  const said = reason && reason !== "Succeeded" ? ` ${reason}` : "";
  return `${name}${said} ${color.dim(formatElapsed(durationMs))}`;
}

export function failedTitle(name: string, reason: string, durationMs: number): string {
  return `${name} ${color.red(reason)} ${color.dim(formatElapsed(durationMs))}`;
}

/** A node the run ended without reaching (cancelled, or stopped by an error). */
export function notRunTitle(name: string): string {
  return `${name} ${color.dim("not run")}`;
}

export function skippedTitle(name: string, reason?: string): string {
  return `${name} ${color.dim(reason ? `skipped: ${reason}` : "skipped")}`;
}

/** A finished step: its time, and how it ended when that was not well. */
export function stepTitle(
  name: string,
  status: StepStatus,
  durationMs: number | undefined,
): string {
  const time = durationMs === undefined ? "" : ` ${color.dim(formatElapsed(durationMs))}`;
  if (status.terminationReason === "Completed") return `${name}${time}`;
  const code = status.exitCode === undefined ? "" : ` (exit code ${status.exitCode})`;
  return `${name} ${color.red(`${status.terminationReason}${code}`)}${time}`;
}

/** What a failed step shows under its title: its last lines of output. */
export function stepFailureText(status: StepStatus, tail: readonly string[]): string {
  if (tail.length > 0) return tail.join("\n");
  return status.terminationReason === "Cancelled" ? "cancelled" : "(no output)";
}

import type { RunEvent } from "../core/events.ts";
import type { Output, Renderer } from "./renderer.ts";
import { formatSeconds, summaryLines } from "./summary.ts";

export interface PlainOptions {
  timestamps: boolean;
  quiet: boolean;
  now?: () => Date;
}

/** Plain lines for CI and pipes: `[task : step] text`, no escape codes. */
export class PlainRenderer implements Renderer {
  private readonly durations = new Map<string, number>();

  constructor(
    private readonly output: Output,
    private readonly options: PlainOptions,
  ) {}

  handle(event: RunEvent): void {
    const line = this.format(event);
    if (line === undefined) return;
    const stamp = this.options.timestamps ? `${(this.options.now ?? (() => new Date()))().toISOString()} ` : "";
    for (const text of Array.isArray(line) ? line : [line]) this.output.out(`${stamp}${text}`);
  }

  close(): void {}

  private format(event: RunEvent): string | string[] | undefined {
    switch (event.kind) {
      case "log":
        return this.options.quiet ? undefined : `[${taskLabel(event)} : ${event.step}] ${event.line}`;
      case "task-started":
        return this.options.quiet ? undefined : `[${taskLabel(event)}] started${event.attempt > 0 ? ` (retry ${event.attempt})` : ""}`;
      case "task-finished":
        this.durations.set(event.taskRun, event.durationMs);
        return this.taskFinished(event);
      case "task-skipped":
        return `[${event.task}] skipped: ${event.reason}`;
      case "step-finished":
        if (event.status.terminationReason === "Completed" || this.options.quiet) return undefined;
        return `[${taskLabel(event)} : ${event.step}] ${event.status.terminationReason}${event.status.exitCode === undefined ? "" : ` (exit code ${event.status.exitCode})`}`;
      case "image-pull":
        return event.state === "failed" ? `pull of ${event.image} failed: ${event.message ?? ""}` : event.state === "started" ? `pulling ${event.image}` : undefined;
      case "warning":
        return `warning: ${event.message}`;
      case "run-finished":
        return summaryLines(event.status, this.durations);
      case "run-started":
        return this.options.quiet ? undefined : `${event.type} ${event.run} started`;
      case "step-started":
        return undefined;
    }
  }

  private taskFinished(event: Extract<RunEvent, { kind: "task-finished" }>): string {
    const { condition } = event.status;
    const time = formatSeconds(event.durationMs);
    if (condition.status === "True") return `[${taskLabel(event)}] ${condition.reason} in ${time}`;
    const retry = event.willRetry ? ", retrying" : "";
    return `[${taskLabel(event)}] ${condition.reason} in ${time}: ${condition.message}${retry}`;
  }
}

/** A task's label: its pipeline task name, with the matrix index for fanned-out runs. */
export function taskLabel(event: { task: string; matrixIndex?: number }): string {
  return event.matrixIndex === undefined ? event.task : `${event.task}[${event.matrixIndex}]`;
}

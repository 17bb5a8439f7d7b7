import type { RunEvent, TaskKey } from "../core/events.ts";
import { type Palette, palette } from "./colors.ts";
import type { Output, Renderer } from "./renderer.ts";
import { formatSeconds, outcomeLine, resultLines, taskLines } from "./summary.ts";
import { taskLabelOf } from "./task-label.ts";

export interface PlainOptions {
  timestamps: boolean;
  quiet: boolean;
  /** ANSI colours; only when forced or on a terminal. */
  color?: boolean;
  now?: () => Date;
}

/** How many of a failed step's last lines --quiet shows. */
const QUIET_TAIL_LINES = 20;

type EventOf<K extends RunEvent["kind"]> = Extract<RunEvent, { kind: K }>;

/** Plain lines for CI and pipes: `[task : step] text`, no escape codes unless colour is on. */
export class PlainRenderer implements Renderer {
  private readonly durations = new Map<string, number>();
  private readonly tails = new Map<string, string[]>();
  private readonly paint: Palette;

  constructor(
    private readonly output: Output,
    private readonly options: PlainOptions,
  ) {
    this.paint = palette(options.color ?? false);
  }

  handle(event: RunEvent): void {
    const line = this.format(event);
    if (line === undefined) return;
    const now = this.options.now ?? (() => new Date());
    const stamp = this.options.timestamps ? `${this.paint.dim(now().toISOString())} ` : "";
    for (const text of Array.isArray(line) ? line : [line]) this.output.out(`${stamp}${text}`);
  }

  close(): void {}

  private format(event: RunEvent): string | string[] | undefined {
    const quiet = this.options.quiet;
    switch (event.kind) {
      case "log":
        return quiet ? this.keepTail(event) : this.logLine(event);
      case "task-started":
        return quiet
          ? undefined
          : `${this.prefix(event)} started${event.attempt > 0 ? ` (retry ${event.attempt})` : ""}`;
      case "task-finished":
        this.durations.set(event.taskRun, event.durationMs);
        return quiet && event.status.condition.status === "True"
          ? undefined
          : this.taskFinished(event);
      case "task-skipped":
        return quiet ? undefined : `${this.paint.dim(`[${event.task}]`)} skipped: ${event.reason}`;
      case "step-finished":
        return this.stepFinished(event);
      case "image-pull":
        return this.imagePull(event);
      case "warning":
        return this.paint.yellow(`warning: ${event.message}`);
      case "run-finished":
        return this.summary(event);
      case "run-started":
        return quiet ? undefined : `${event.type} ${event.run} started`;
      case "step-started":
        return undefined;
    }
  }

  private prefix(key: TaskKey, step?: string): string {
    const label = taskLabelOf(key);
    return this.paint.dim(step === undefined ? `[${label}]` : `[${label} : ${step}]`);
  }

  private taskFinished(event: EventOf<"task-finished">): string {
    const { condition } = event.status;
    const time = formatSeconds(event.durationMs);
    if (condition.status === "True")
      return `${this.prefix(event)} ${this.paint.green(condition.reason)} in ${time}`;
    const retry = event.willRetry ? ", retrying" : "";
    return `${this.prefix(event)} ${this.paint.red(condition.reason)} in ${time}: ${condition.message}${retry}`;
  }

  private logLine(event: EventOf<"log">): string {
    return `${this.prefix(event, event.step)} ${event.line}`;
  }

  // --quiet prints a step's output only when the step fails: its last lines, kept here.
  private keepTail(event: EventOf<"log">): undefined {
    const key = `${event.taskRun}/${event.step}`;
    const tail = this.tails.get(key) ?? [];
    tail.push(this.logLine(event));
    if (tail.length > QUIET_TAIL_LINES) tail.shift();
    this.tails.set(key, tail);
    return undefined;
  }

  private stepFinished(event: EventOf<"step-finished">): string[] | undefined {
    const { status } = event;
    const tail = this.tails.get(`${event.taskRun}/${event.step}`) ?? [];
    this.tails.delete(`${event.taskRun}/${event.step}`);
    if (status.terminationReason === "Completed") return undefined;
    const code = status.exitCode === undefined ? "" : ` (exit code ${status.exitCode})`;
    return [
      ...tail,
      `${this.prefix(event, event.step)} ${this.paint.red(status.terminationReason)}${code}`,
    ];
  }

  private imagePull(event: EventOf<"image-pull">): string | undefined {
    if (event.state === "failed")
      return this.paint.red(`pull of ${event.image} failed: ${event.message ?? ""}`);
    return event.state === "started" ? `pulling ${event.image}` : undefined;
  }

  private summary(event: EventOf<"run-finished">): string[] {
    const outcome = outcomeLine(event.status);
    const ok = event.status.condition.status === "True";
    return [
      ...taskLines(event.status, this.durations),
      ...resultLines(event.status),
      ok ? this.paint.green(outcome) : this.paint.red(outcome),
    ];
  }
}

import { formatDuration, parseDuration } from "../core/duration.ts";
import type { PipelineRunResource } from "../core/model/resources.ts";
import { timerDelay } from "./task-clock.ts";

/** Tekton's default `timeouts.pipeline`. */
const DEFAULT_PIPELINE_TIMEOUT_MS = 60 * 60 * 1000;

/** The pipeline, tasks and finally timeouts as abort signals layered on the run's own. */
export class PhaseTimers {
  readonly tasks = new AbortController();
  readonly finally = new AbortController();
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];
  private expired: "pipeline" | "tasks" | "finally" | undefined;
  private readonly limits: Record<"pipeline" | "tasks" | "finally", number | undefined>;

  constructor(run: PipelineRunResource, parent: AbortSignal) {
    const timeouts = run.spec.timeouts ?? {};
    const pipeline =
      timeouts.pipeline === undefined
        ? DEFAULT_PIPELINE_TIMEOUT_MS
        : parseDuration(timeouts.pipeline);
    this.limits = {
      pipeline: pipeline || undefined,
      tasks: timeouts.tasks === undefined ? undefined : parseDuration(timeouts.tasks) || undefined,
      finally:
        timeouts.finally === undefined ? undefined : parseDuration(timeouts.finally) || undefined,
    };
    const abortAll = () => {
      this.tasks.abort();
      this.finally.abort();
    };
    parent.addEventListener("abort", abortAll, { once: true });
    this.arm("pipeline", abortAll);
    this.arm("tasks", () => this.tasks.abort());
  }

  private arm(which: "pipeline" | "tasks", onExpire: () => void): void {
    const limit = this.limits[which];
    if (limit === undefined) return;
    this.timers.push(
      setTimeout(() => {
        this.expired ??= which;
        onExpire();
      }, timerDelay(limit)),
    );
  }

  pipelineExpired(): boolean {
    return this.expired === "pipeline";
  }

  timedOut(): string | undefined {
    if (!this.expired) return undefined;
    return formatDuration(this.limits[this.expired] ?? 0);
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }
}

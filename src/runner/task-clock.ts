import type { Engine } from "../backend/engine.ts";
import { formatDuration } from "../core/duration.ts";

// Timers take at most 2^31-1 ms; a longer delay would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay a timer can hold. LIMITATION: a timeout over 24.8 days fires after 24.8 days.
 */
export function timerDelay(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}

/** Why a TaskRun ended early, with Tekton's reason. */
export type ClockFailure = { reason: string; message: string };

// `podman stop` of a container that is still starting does nothing, so a stop is repeated
// until the container's attach returns.
const STOP_RETRY_MS = 500;

/**
 * Tracks a TaskRun's timeout and cancellation (Ctrl-C, or the pipeline's own timeouts) and
 * stops the container the TaskRun is waiting on when either comes.
 */
export class TaskClock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private watched: ContainerWatch | undefined;
  private notify: () => void = () => {};
  /** Resolves once the TaskRun has timed out or been cancelled. */
  readonly whenStopped: Promise<void>;
  timedOut = false;
  private readonly onAbort = () => this.stop();

  constructor(
    private readonly timeoutMs: number | undefined,
    private readonly signal: AbortSignal,
  ) {
    this.whenStopped = new Promise((resolve) => {
      this.notify = resolve;
    });
    signal.addEventListener("abort", this.onAbort);
    if (signal.aborted) this.notify();
    if (timeoutMs !== undefined && timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.stop();
      }, timerDelay(timeoutMs));
    }
  }

  get cancelled(): boolean {
    return this.signal.aborted;
  }

  get stopped(): boolean {
    return this.timedOut || this.signal.aborted;
  }

  /** Watches a container about to start; stopped at once if the clock has already run out. */
  watch(engine: Engine, name: string, stepTimeoutMs?: number): ContainerWatch {
    this.watched?.dispose();
    const watch = new ContainerWatch(engine, name, stepTimeoutMs);
    this.watched = watch;
    if (this.stopped) watch.stop();
    return watch;
  }

  unwatch(): void {
    this.watched?.dispose();
    this.watched = undefined;
  }

  /** Races `work` against the clock: undefined when the clock ran out first. */
  async race<T>(work: Promise<T>): Promise<T | undefined> {
    return Promise.race([work, this.whenStopped.then(() => undefined)]);
  }

  /** The TaskRun's failure when it was cancelled or timed out. */
  failure(taskRun: string): ClockFailure | undefined {
    if (this.signal.aborted)
      return { reason: "TaskRunCancelled", message: `TaskRun "${taskRun}" was cancelled` };
    if (!this.timedOut) return undefined;
    const limit = formatDuration(this.timeoutMs ?? 0);
    return {
      reason: "TaskRunTimeout",
      message: `TaskRun "${taskRun}" failed to finish within "${limit}"`,
    };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.signal.removeEventListener("abort", this.onAbort);
    this.unwatch();
  }

  private stop(): void {
    this.notify();
    this.watched?.stop();
  }
}

/** One running container: stopped on request or when its step's own timeout passes. */
export class ContainerWatch {
  stepTimedOut = false;
  private stopping = false;
  private done = false;
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(
    private readonly engine: Engine,
    private readonly name: string,
    stepTimeoutMs: number | undefined,
  ) {
    if (stepTimeoutMs !== undefined && stepTimeoutMs > 0) {
      this.timers.push(
        setTimeout(() => {
          this.stepTimedOut = true;
          this.stop();
        }, timerDelay(stepTimeoutMs)),
      );
    }
  }

  stop(): void {
    if (this.stopping || this.done) return;
    this.stopping = true;
    const attempt = () => {
      if (this.done) return;
      void this.engine.stopContainer(this.name).finally(() => {
        if (!this.done) this.timers.push(setTimeout(attempt, STOP_RETRY_MS));
      });
    };
    attempt();
  }

  dispose(): void {
    this.done = true;
    for (const timer of this.timers) clearTimeout(timer);
  }
}

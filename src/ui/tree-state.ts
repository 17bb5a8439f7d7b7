import type { RunEvent, TaskKey } from "../core/events.ts";
import type { RunStatus, StepStatus, TaskRunStatus } from "../core/status.ts";
import { matrixIndexOf } from "./task-label.ts";
import { Deferred, GrowingList } from "./waitable.ts";

/** How many lines of a step's output the tree keeps to show when it fails. */
export const TAIL_LINES = 8;
// Lines can arrive before the tree starts showing a step (it starts a moment later).
const BACKLOG_LINES = 1000;

/** One step of one attempt: its output tail and how it ended. */
export class StepView {
  startedAt: number | undefined;
  durationMs: number | undefined;
  readonly tail: string[] = [];
  private backlog: string[] = [];
  /** The step's status; undefined when the TaskRun ended without telling. */
  readonly done = new Deferred<StepStatus | undefined>();
  private onLine: ((line: string) => void) | undefined;

  constructor(readonly name: string) {}

  markStarted(): void {
    this.startedAt = Date.now();
  }

  addLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (this.onLine) this.onLine(line);
    else if (this.backlog.length < BACKLOG_LINES) this.backlog.push(line);
  }

  /** Shows lines as they come; lines that came before the step was on screen come first. */
  follow(onLine: ((line: string) => void) | undefined): void {
    this.onLine = onLine;
    if (!onLine) return;
    for (const line of this.backlog) onLine(line);
    this.backlog = [];
  }

  finish(status: StepStatus | undefined, durationMs?: number): void {
    if (durationMs !== undefined) this.durationMs = durationMs;
    this.done.resolve(status);
  }
}

/** How an attempt of a TaskRun ended. */
export interface AttemptEnd {
  status: TaskRunStatus;
  willRetry: boolean;
  durationMs: number;
}

/** One attempt (the first run or a retry) of a TaskRun. */
export class AttemptView {
  readonly steps: StepView[];
  /** Undefined when the run ended (cancelled, crashed) before this attempt did. */
  readonly done = new Deferred<AttemptEnd | undefined>();
  /** How it ended, once it has. */
  end: AttemptEnd | undefined;

  constructor(
    readonly attempt: number,
    stepNames: readonly string[],
  ) {
    this.steps = stepNames.map((name) => new StepView(name));
  }

  step(name: string): StepView | undefined {
    return this.steps.find((step) => step.name === name);
  }

  finish(end: AttemptEnd | undefined): void {
    this.end = end;
    for (const step of this.steps) {
      step.finish(end?.status.steps.find((status) => status.name === step.name));
    }
    this.done.resolve(end);
  }
}

/** A TaskRun with its attempts, which arrive one after another. */
export class TaskRunView {
  readonly attempts = new GrowingList<AttemptView>();
  final: AttemptEnd | undefined;

  constructor(
    readonly name: string,
    readonly label: string,
  ) {}

  /** The attempt under way, if any. */
  current(): AttemptView | undefined {
    const last = this.attempts.items.at(-1);
    return last && !last.done.settled ? last : undefined;
  }

  get active(): boolean {
    return this.attempts.items.length > 0 && !this.attempts.isClosed;
  }
}

/** How a pipeline task first showed up. */
export type TaskStart =
  | { kind: "started"; matrix: boolean }
  | { kind: "skipped"; reason: string }
  | { kind: "not-run" };

/** A pipeline task (or the task of a standalone TaskRun) and its TaskRuns. */
export class TaskView {
  readonly start = new Deferred<TaskStart>();
  /** One TaskRun, or one per matrix combination. */
  readonly taskRuns = new GrowingList<TaskRunView>();

  constructor(
    readonly name: string,
    readonly isFinally: boolean,
  ) {}

  taskRun(name: string): TaskRunView | undefined {
    return this.taskRuns.items.find((run) => run.name === name);
  }

  /** Every TaskRun it has has ended for good. */
  get idle(): boolean {
    return this.taskRuns.items.every((run) => run.attempts.isClosed);
  }
}

/** Everything the tree shows of one run, fed by its events. */
export class RunView {
  readonly tasks: TaskView[];
  readonly done = new Deferred<RunStatus | undefined>();
  readonly startedAt = Date.now();
  /** Set by the tree: shows a note under the run, such as an image being pulled. */
  onNote: ((note: string) => void) | undefined;

  constructor(
    readonly name: string,
    readonly type: "TaskRun" | "PipelineRun",
    tasks: readonly string[],
    finallyTasks: readonly string[],
  ) {
    this.tasks = [
      ...tasks.map((task) => new TaskView(task, false)),
      ...finallyTasks.map((task) => new TaskView(task, true)),
    ];
  }

  /** Applies one event of this run. */
  apply(event: RunEvent): void {
    switch (event.kind) {
      case "task-started":
        this.startAttempt(event, event.attempt, event.steps);
        return;
      case "task-finished":
        return this.finishAttempt(event);
      case "task-skipped":
        this.task(event.task).start.resolve({ kind: "skipped", reason: event.reason });
        return;
      case "step-started":
        this.step(event, event.step)?.markStarted();
        return;
      case "step-finished":
        this.step(event, event.step)?.finish(event.status, event.durationMs);
        return;
      case "log":
        this.step(event, event.step)?.addLine(event.line);
        return;
      case "run-finished":
        return this.finish(event.status);
      default:
        return;
    }
  }

  /** Ends whatever is still open: at the end of the run, or when output is closed early. */
  finish(status: RunStatus | undefined): void {
    for (const task of this.tasks) {
      task.start.resolve({ kind: "not-run" });
      for (const run of task.taskRuns.items) {
        run.current()?.finish(undefined);
        run.attempts.close();
      }
      task.taskRuns.close();
    }
    this.done.resolve(status);
  }

  /**
   * Closes the TaskRun lists of started tasks whose TaskRuns have all ended, when fewer
   * than `limit` TaskRuns run: with a free slot, no matrix child can still be waiting.
   */
  closeIdleTasks(limit: number): void {
    if (this.activeTaskRuns() >= limit) return;
    for (const task of this.tasks) {
      if (task.start.settled && task.idle) task.taskRuns.close();
    }
  }

  /** How many TaskRuns are running or between retries. */
  activeTaskRuns(): number {
    return this.tasks.reduce(
      (count, task) => count + task.taskRuns.items.filter((run) => run.active).length,
      0,
    );
  }

  private task(name: string): TaskView {
    let task = this.tasks.find((item) => item.name === name);
    if (!task) {
      task = new TaskView(name, false);
      this.tasks.push(task);
    }
    return task;
  }

  private taskRunOf(key: TaskKey): TaskRunView {
    const task = this.task(key.task);
    const index = matrixIndexOf(key);
    task.start.resolve({ kind: "started", matrix: index !== undefined });
    let run = task.taskRun(key.taskRun);
    if (!run) {
      run = new TaskRunView(key.taskRun, index === undefined ? key.task : `${key.task}[${index}]`);
      task.taskRuns.push(run);
    }
    return run;
  }

  private startAttempt(key: TaskKey, attempt: number, steps: readonly string[]): AttemptView {
    const view = new AttemptView(attempt, steps);
    this.taskRunOf(key).attempts.push(view);
    return view;
  }

  private finishAttempt(event: Extract<RunEvent, { kind: "task-finished" }>): void {
    const run = this.taskRunOf(event);
    // A TaskRun that failed while being planned finishes without having started.
    const attempt = run.current() ?? this.startAttempt(event, event.status.retryCount, []);
    const end = { status: event.status, willRetry: event.willRetry, durationMs: event.durationMs };
    attempt.finish(end);
    if (!event.willRetry) {
      run.final = end;
      run.attempts.close();
    }
  }

  private step(key: TaskKey, name: string): StepView | undefined {
    return this.task(key.task).taskRun(key.taskRun)?.current()?.step(name);
  }
}

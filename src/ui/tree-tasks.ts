import { type ListrTask, ListrTaskState } from "listr2";
import type { StepStatus } from "../core/status.ts";
import {
  failedTitle,
  finishedTitle,
  notRunTitle,
  runningTitle,
  skippedTitle,
  stepFailureText,
  stepTitle,
} from "./tree-titles.ts";
import type { RunView, StepView, TaskRunView, TaskView } from "./tree-state.ts";

type Task = ListrTask<object>;
type Wrapper = Parameters<Task["task"]>[1];

/** What the listr tasks of the tree share. */
export interface TreeEnv {
  verbose: boolean;
  /** Title updaters of running nodes, called every moment to show elapsed time. */
  tickers: Set<() => void>;
}

/** The failure of an attempt; listr retries the node only when the runner will. */
class AttemptFailed extends Error {
  constructor(readonly willRetry: boolean) {
    // An empty message: the tree shows the failing step's lines, not this error.
    super("");
  }
}

// listr2 retries a failed task a fixed number of times; here the runner decides, so the
// count is unbounded and the delay callback stops retrying when the runner gave up.
const RETRY = {
  tries: Number.MAX_SAFE_INTEGER,
  delay: (retry: { error: Error }) => {
    if (retry.error instanceof AttemptFailed && retry.error.willRetry) return 0;
    throw retry.error;
  },
};

/** The top node of a run: its tasks, then a hidden task that waits for the run's end. */
export function runNode(run: RunView, env: TreeEnv): Task {
  return {
    title: runningTitle(`${run.type} ${run.name}`, run.startedAt),
    task: (_, node) => {
      const tick = () => {
        node.title = runningTitle(`${run.type} ${run.name}`, run.startedAt);
      };
      env.tickers.add(tick);
      run.onNote = (note) => {
        node.output = note;
      };
      const outcome: Task = {
        task: async () => {
          const status = await run.done.promise;
          env.tickers.delete(tick);
          const label = `${run.type} ${run.name}`;
          const durationMs = status
            ? spanMs(status.startTime, status.completionTime)
            : Date.now() - run.startedAt;
          if (status?.condition.status === "True") {
            node.title = finishedTitle(label, status.condition.reason, durationMs);
            return;
          }
          node.title = failedTitle(label, status?.condition.reason ?? "Cancelled", durationMs);
          throw new AttemptFailed(false);
        },
      };
      const tasks = run.tasks.map((task) => isolated(taskNode(task, env), env));
      // listr2 keeps a finished node open when one of its children says not to collapse:
      // the hidden wrappers say so, so the run's tasks stay listed once it has finished.
      return node.newListr([...tasks, outcome], {
        concurrent: true,
        exitOnError: true,
        rendererOptions: { collapseSubtasks: false },
      });
    },
  };
}

// A node alone in its own list: listr2 marks the unfinished siblings of a failed task as
// failed too, which would paint tasks still running in parallel red.
// Its list also says whether finished tasks fold their steps away (all but with --verbose).
function isolated(task: Task, env: TreeEnv): Task {
  return {
    task: (_, node) =>
      node.newListr([task], {
        exitOnError: false,
        rendererOptions: { collapseSubtasks: !env.verbose },
      }),
  };
}

/** A pipeline task: waiting, skipped, its steps across retries, or its matrix children. */
function taskNode(task: TaskView, env: TreeEnv): Task {
  const label = task.isFinally ? `${task.name} (finally)` : task.name;
  const attempts = { next: 0 };
  return {
    title: label,
    exitOnError: false,
    retry: RETRY,
    task: async (_, node) => {
      await waitTurn(node, task.start.promise);
      const start = await task.start.promise;
      if (start.kind === "skipped") return node.skip(skippedTitle(label, start.reason));
      if (start.kind === "not-run") return node.skip(notRunTitle(label));
      if (start.matrix) return matrixList(task, label, node, env);
      const run = await task.taskRuns.at(0);
      if (!run) return node.skip(notRunTitle(label));
      return attemptList(run, label, attempts, node, env);
    },
  };
}

// listr2 shows a task as running once its function runs; a task waiting for its turn in
// the pipeline is shown as waiting instead until the runner starts or skips it.
async function waitTurn(node: Wrapper, start: Promise<unknown>): Promise<void> {
  if (node.task.state !== ListrTaskState.STARTED) return;
  node.task.state$ = ListrTaskState.WAITING;
  await start;
  node.task.state$ = ListrTaskState.STARTED;
}

/** The steps of the next attempt of a TaskRun, and a hidden task that fails with it. */
async function attemptList(
  run: TaskRunView,
  label: string,
  attempts: { next: number },
  node: Wrapper,
  env: TreeEnv,
) {
  const attempt = await run.attempts.at(attempts.next++);
  if (!attempt) return node.skip(notRunTitle(label));
  const name = attempt.attempt > 0 ? `${label} (retry ${attempt.attempt})` : label;
  const started = Date.now();
  const tick = () => {
    node.title = runningTitle(name, started);
  };
  tick();
  env.tickers.add(tick);
  const outcome: Task = {
    task: async () => {
      const end = await attempt.done.promise;
      env.tickers.delete(tick);
      const durationMs = end?.durationMs ?? Date.now() - started;
      if (end?.status.condition.status === "True") {
        node.title = finishedTitle(name, "", durationMs);
        return;
      }
      const reason = end
        ? `${end.status.condition.reason}: ${end.status.condition.message}`
        : "Cancelled";
      node.title = failedTitle(name, reason, durationMs);
      throw new AttemptFailed(end?.willRetry ?? false);
    },
  };
  return node.newListr([...attempt.steps.map((step) => stepNode(step, env)), outcome], {
    concurrent: false,
    exitOnError: true,
    rendererOptions: { collapseErrors: false, collapseSubtasks: !env.verbose },
  });
}

/** One step: its latest output line while it runs, its last lines if it fails. */
function stepNode(step: StepView, env: TreeEnv): Task {
  return {
    title: step.name,
    exitOnError: false,
    rendererOptions: env.verbose
      ? { outputBar: Number.POSITIVE_INFINITY, persistentOutput: true }
      : { outputBar: 1 },
    task: async (_, node) => {
      const started = Date.now();
      const tick = () => {
        node.title = runningTitle(step.name, step.startedAt ?? started);
      };
      env.tickers.add(tick);
      step.follow((line) => {
        node.output = line;
      });
      const status = await step.done.promise;
      step.follow(undefined);
      env.tickers.delete(tick);
      settleStep(node, step, status, env.verbose);
    },
  };
}

function settleStep(
  node: Wrapper,
  step: StepView,
  status: StepStatus | undefined,
  verbose: boolean,
) {
  if (!status) return node.skip(notRunTitle(step.name));
  if (status.terminationReason === "Skipped") return node.skip(skippedTitle(step.name));
  node.title = stepTitle(step.name, status, step.durationMs);
  if (status.terminationReason === "Completed") return;
  // With --verbose every line is already on screen; the last ones need not come again.
  throw new Error(verbose ? "" : stepFailureText(status, step.tail));
}

/** A matrix task: its children as they start, then a hidden task that fails if one did. */
function matrixList(task: TaskView, label: string, node: Wrapper, env: TreeEnv) {
  const started = Date.now();
  const tick = () => {
    node.title = runningTitle(
      `${label} (matrix ${doneCount(task)}/${task.taskRuns.items.length})`,
      started,
    );
  };
  tick();
  env.tickers.add(tick);
  const outcome: Task = {
    task: async () => {
      await task.taskRuns.whenClosed();
      env.tickers.delete(tick);
      const runs = task.taskRuns.items;
      const durationMs = matrixSpanMs(runs) ?? Date.now() - started;
      const failed = runs.filter((run) => run.final?.status.condition.status !== "True").length;
      const name = `${label} (matrix ${runs.length})`;
      if (failed === 0) {
        node.title = finishedTitle(name, "", durationMs);
        return;
      }
      node.title = failedTitle(name, `${failed} of ${runs.length} failed`, durationMs);
      throw new AttemptFailed(false);
    },
  };
  return node.newListr([...matrixChain(task, 0, env), outcome], {
    concurrent: true,
    exitOnError: true,
  });
}

// Times come from the run's statuses where it can, so a replayed run shows the same times.
function spanMs(start: string, end: string): number {
  return Date.parse(end) - Date.parse(start);
}

/** From the first start to the last end among a matrix task's TaskRuns. */
function matrixSpanMs(runs: readonly TaskRunView[]): number | undefined {
  const starts = runs.flatMap((run) => run.attempts.items[0]?.end?.status.startTime ?? []);
  const ends = runs.flatMap((run) => run.final?.status.completionTime ?? []);
  if (starts.length === 0 || ends.length === 0) return undefined;
  return spanMs(starts.sort()[0] as string, ends.sort().at(-1) as string);
}

function doneCount(task: TaskView): number {
  return task.taskRuns.items.filter((run) => run.attempts.isClosed).length;
}

// listr2 runs the tasks a list had when it started. Matrix children arrive one by one, so
// each child comes with a hidden task that waits for the next and adds it: the hidden task
// has no title, so its children show at the same level.
function matrixChain(task: TaskView, index: number, env: TreeEnv): Task[] {
  const more: Task = {
    task: async (_, node) => {
      const next = await task.taskRuns.at(index + 1);
      if (!next) return;
      return node.newListr(matrixChain(task, index + 1, env), {
        concurrent: true,
        exitOnError: false,
      });
    },
  };
  const run = task.taskRuns.items[index];
  return run ? [childNode(run, env), more] : [more];
}

function childNode(run: TaskRunView, env: TreeEnv): Task {
  const attempts = { next: 0 };
  return {
    title: run.label,
    exitOnError: false,
    retry: RETRY,
    task: (_, node) => attemptList(run, run.label, attempts, node, env),
  };
}

import { figures, Listr } from "listr2";
import type { RunEvent } from "../core/events.ts";
import type { RunStatus } from "../core/status.ts";
import type { Output, Renderer } from "./renderer.ts";
import { outcomeLine, resultLines } from "./summary.ts";
import { RunView } from "./tree-state.ts";
import { runNode, type TreeEnv } from "./tree-tasks.ts";

/** How often running nodes' times are brought up to date. */
const TICK_MS = 200;

export interface TreeOptions {
  /** Keep every step's output in the tree, not just the latest line. */
  verbose: boolean;
  /** How many TaskRuns the runner runs at once; it tells when a matrix has no child left. */
  concurrency?: number;
}

/**
 * The live tree on a terminal (listr2): the run, its tasks, their matrix children and
 * steps, with spinners and times. Events update a model of the run (RunView); listr2 tasks
 * wait on that model, so the order in which listr2 gets to them does not matter.
 */
export class TreeRenderer implements Renderer {
  private view: RunView | undefined;
  private shown: Promise<void> = Promise.resolve();
  private readonly env: TreeEnv;
  private readonly warnings: string[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly output: Output,
    private readonly options: TreeOptions,
  ) {
    this.env = { verbose: options.verbose, tickers: new Set() };
  }

  handle(event: RunEvent): void {
    switch (event.kind) {
      case "run-started":
        return this.startRun(event);
      case "warning":
        this.warnings.push(event.message);
        return;
      case "image-pull":
        return this.notePull(event);
      default:
        this.view?.apply(event);
        if (event.kind === "task-finished" && !event.willRetry) this.closeIdleTasksSoon();
    }
  }

  async close(): Promise<void> {
    this.view?.finish(undefined);
    await this.shown;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private startRun(event: Extract<RunEvent, { kind: "run-started" }>): void {
    const view = new RunView(event.run, event.type, event.tasks, event.finally);
    this.view?.finish(undefined);
    this.view = view;
    this.ticker ??= setInterval(() => {
      for (const tick of this.env.tickers) tick();
    }, TICK_MS);
    // Runs follow one another; each gets its own tree once the one before has ended.
    this.shown = this.shown.then(() => this.show(view));
  }

  private async show(view: RunView): Promise<void> {
    const listr = new Listr([runNode(view, this.env)], {
      renderer: "default",
      fallbackRenderer: "simple",
      exitOnError: false,
      // Ctrl-C belongs to the runner, which stops and cleans up; listr2 would exit at once.
      registerSignalListeners: false,
      rendererOptions: {
        collapseSubtasks: false,
        formatOutput: "truncate",
        icon: { FAILED_WITH_SUBTASKS: figures.cross },
      },
    });
    await listr.run().catch(() => {});
    const status = await view.done.promise;
    this.printAfter(status);
  }

  private printAfter(status: RunStatus | undefined): void {
    for (const warning of this.warnings.splice(0)) this.output.err(`warning: ${warning}`);
    if (!status) return;
    for (const line of resultLines(status)) this.output.out(line);
    this.output.out(outcomeLine(status));
  }

  private notePull(event: Extract<RunEvent, { kind: "image-pull" }>): void {
    if (event.state === "failed")
      this.warnings.push(`pull of ${event.image} failed: ${event.message ?? ""}`);
    this.view?.onNote?.(event.state === "started" ? `pulling ${event.image}` : "");
  }

  // A matrix child waiting for a free slot starts as soon as one frees (within the same
  // turn of the event loop), so the check waits a turn before deciding no child is left.
  private closeIdleTasksSoon(): void {
    const view = this.view;
    setTimeout(() => view?.closeIdleTasks(this.options.concurrency ?? 1), 0);
  }
}

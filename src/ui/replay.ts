import type { RunEvent } from "../core/events.ts";
import type { Renderer } from "./renderer.ts";
import { taskLabelOf } from "./task-label.ts";

/** One line of a saved run's `events.jsonl`: the event as the renderers saw it, and when. */
export interface SavedEvent {
  time: string;
  event: RunEvent;
}

/** Which events `mallet logs` replays: all, or one task's (and one step's). */
export interface ReplayFilter {
  /** A pipeline task's name, or a matrix child's label such as `build[1]`. */
  task?: string | undefined;
  step?: string | undefined;
}

/** Whether an event passes the filter; run-wide events pass only when nothing is filtered. */
export function eventMatches(event: RunEvent, filter: ReplayFilter): boolean {
  if (filter.task === undefined && filter.step === undefined) return true;
  if (!("task" in event)) return false;
  if (filter.task !== undefined && event.task !== filter.task) {
    if (!("taskRun" in event) || taskLabelOf(event) !== filter.task) return false;
  }
  if (filter.step === undefined) return true;
  return "step" in event && event.step === filter.step;
}

/**
 * Feeds saved events to a renderer as if they happened now, each at its saved time, so
 * `mallet logs` prints the lines the live run printed.
 */
export async function replay(
  saved: readonly SavedEvent[],
  makeRenderer: (now: () => Date) => Renderer,
  filter: ReplayFilter = {},
): Promise<void> {
  let time = new Date(0);
  const renderer = makeRenderer(() => time);
  for (const { event, time: at } of saved) {
    if (!eventMatches(event, filter)) continue;
    time = new Date(at);
    renderer.handle(event);
  }
  await renderer.close();
}

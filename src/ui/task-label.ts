import type { TaskKey } from "../core/events.ts";

/**
 * The matrix index of a TaskRun: from the event, or else from its name, which the runner
 * builds as `<run>-<task>-<index>` for matrix children (their log and step events carry no
 * index). A TaskRun that is not a matrix child is named `<run>-<task>`, which never ends so.
 */
export function matrixIndexOf(key: TaskKey): number | undefined {
  if (key.matrixIndex !== undefined) return key.matrixIndex;
  const suffix = `-${key.task}-`;
  const at = key.taskRun.lastIndexOf(suffix);
  if (at < 0) return undefined;
  const index = key.taskRun.slice(at + suffix.length);
  return /^\d+$/.test(index) ? Number(index) : undefined;
}

/** A task's label: its pipeline task name, with the matrix index for fanned-out runs. */
export function taskLabelOf(key: TaskKey): string {
  const index = matrixIndexOf(key);
  return index === undefined ? key.task : `${key.task}[${index}]`;
}

/** The folder of a task's logs in a saved run: the task name, `-<index>` for matrix children. */
export function taskDirOf(key: TaskKey): string {
  const index = matrixIndexOf(key);
  return index === undefined ? key.task : `${key.task}-${index}`;
}

import type { RunStatus } from "../core/status.ts";
import { taskLabelOf } from "./task-label.ts";

/** The end-of-run summary: one line per TaskRun and skipped task, then results and the outcome. */
export function summaryLines(status: RunStatus, durations: ReadonlyMap<string, number>): string[] {
  return [...taskLines(status, durations), ...resultLines(status), outcomeLine(status)];
}

/** One aligned row per TaskRun (name, reason, time, message) and per skipped task. */
export function taskLines(status: RunStatus, durations: ReadonlyMap<string, number>): string[] {
  const rows = status.taskRuns.map((run) => [
    run.pipelineTask === undefined
      ? run.name
      : taskLabelOf({ task: run.pipelineTask, taskRun: run.name }),
    run.condition.reason,
    formatSeconds(durations.get(run.name)),
    run.condition.status === "True" ? "" : run.condition.message,
  ]);
  for (const skipped of status.skippedTasks)
    rows.push([skipped.name, "Skipped", "", skipped.reason]);
  const width = Math.max(4, ...rows.map((row) => (row[0] as string).length));
  return rows.map(([name, reason, time, message]) =>
    `  ${(name as string).padEnd(width)}  ${(reason as string).padEnd(10)} ${(time as string).padStart(6)}  ${message}`.trimEnd(),
  );
}

/** The run's results, one line each, values quoted as JSON. */
export function resultLines(status: RunStatus): string[] {
  return status.results.map((result) => {
    const value = typeof result.value === "string" ? result.value : JSON.stringify(result.value);
    return `  result ${result.name}: ${JSON.stringify(value)}`;
  });
}

/** `PipelineRun NAME Reason[: message]`. */
export function outcomeLine(status: RunStatus): string {
  const { condition } = status;
  return `${status.kind} ${status.name} ${condition.reason}${condition.status === "True" ? "" : `: ${condition.message}`}`;
}

export function formatSeconds(ms: number | undefined): string {
  if (ms === undefined) return "";
  return `${(ms / 1000).toFixed(1)}s`;
}

import type { RunStatus } from "../core/status.ts";

/** The end-of-run summary: one line per TaskRun and skipped task, then results and the outcome. */
export function summaryLines(status: RunStatus, durations: ReadonlyMap<string, number>): string[] {
  const lines: string[] = [];
  const rows = status.taskRuns.map((run) => [
    run.pipelineTask ?? run.name,
    run.condition.reason,
    formatSeconds(durations.get(run.name)),
    run.condition.status === "True" ? "" : run.condition.message,
  ]);
  for (const skipped of status.skippedTasks) rows.push([skipped.name, "Skipped", "", skipped.reason]);
  const width = Math.max(4, ...rows.map((row) => (row[0] as string).length));
  for (const [name, reason, time, message] of rows) {
    lines.push(`  ${(name as string).padEnd(width)}  ${(reason as string).padEnd(10)} ${(time as string).padStart(6)}  ${message}`.trimEnd());
  }
  for (const result of status.results) {
    const value = typeof result.value === "string" ? result.value : JSON.stringify(result.value);
    lines.push(`  result ${result.name}: ${JSON.stringify(value)}`);
  }
  const { condition } = status;
  lines.push(`${status.kind} ${status.name} ${condition.reason}${condition.status === "True" ? "" : `: ${condition.message}`}`);
  return lines;
}

export function formatSeconds(ms: number | undefined): string {
  if (ms === undefined) return "";
  return `${(ms / 1000).toFixed(1)}s`;
}

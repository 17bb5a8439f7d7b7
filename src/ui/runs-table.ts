import type { JsonRun } from "./json-format.ts";
import { formatElapsed } from "./tree-titles.ts";

/** A saved run as `mallet runs` lists it. */
export interface RunRow {
  name: string;
  kind: string | undefined;
  startTime: string | undefined;
  status: JsonRun | undefined;
}

/** The table of saved runs, oldest first: name, kind, outcome, start and duration. */
export function formatRunsTable(runs: readonly RunRow[]): string[] {
  const rows = [["NAME", "KIND", "STATUS", "STARTED", "DURATION"], ...runs.map(rowOf)];
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

function rowOf(run: RunRow): string[] {
  const started = run.startTime ? run.startTime.replace("T", " ").slice(0, 19) : "";
  const status = run.status;
  // No status: the run was killed, or it is still going.
  const outcome = status ? status.condition.reason : "Unfinished";
  const duration = status
    ? formatElapsed(Date.parse(status.completionTime) - Date.parse(status.startTime))
    : "";
  return [run.name, run.kind ?? "", outcome, started, duration];
}

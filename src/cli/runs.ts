import { defineCommand } from "citty";
import { parseDuration } from "../core/duration.ts";
import { MalletError } from "../core/errors.ts";
import { listSavedRuns, type PrunePolicy, pruneRuns } from "../runner/saved-runs.ts";
import { formatRunsTable } from "../ui/runs-table.ts";

export const runsCommand = defineCommand({
  meta: {
    name: "runs",
    description:
      "List the saved runs (every run is saved under .mallet/runs/), or prune old ones.\n\n" +
      "Examples:\n" +
      "  mallet runs\n" +
      "  mallet runs -o json\n" +
      "  mallet runs --prune --keep 20\n" +
      "  mallet runs --prune --older-than 7d",
  },
  args: {
    output: { type: "string", alias: "o", default: "table", description: "table or json" },
    prune: { type: "boolean", description: "remove old runs (with --keep and/or --older-than)" },
    keep: { type: "string", description: "with --prune: keep this many of the newest runs" },
    "older-than": {
      type: "string",
      description: "with --prune: remove runs started longer ago (7d, 12h, 30m)",
    },
    "state-dir": { type: "string", default: ".mallet", description: "where runs are saved" },
  },
  run({ args }) {
    const stateDir = args["state-dir"];
    if (args.prune) {
      const removed = pruneRuns(stateDir, prunePolicy(args.keep, args["older-than"]));
      for (const name of removed) process.stdout.write(`removed ${name}\n`);
      process.stderr.write(`pruned ${removed.length} run${removed.length === 1 ? "" : "s"}\n`);
      return;
    }
    const runs = listSavedRuns(stateDir);
    if (args.output === "json") {
      const list = runs.map(({ name, kind, startTime, status }) => ({
        name,
        kind,
        startTime,
        status: status ?? null,
      }));
      process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (args.output !== "table")
      throw new MalletError("USAGE", `--output must be table or json, not "${args.output}"`);
    if (runs.length === 0) process.stderr.write("no saved runs\n");
    else process.stdout.write(`${formatRunsTable(runs).join("\n")}\n`);
  },
});

/** `--keep N` and `--older-than DURATION` (Go durations, plus days: `7d`). */
export function prunePolicy(keep: string | undefined, olderThan: string | undefined): PrunePolicy {
  if (keep === undefined && olderThan === undefined) {
    throw new MalletError("USAGE", "--prune needs --keep N, --older-than DURATION, or both");
  }
  const policy: PrunePolicy = {};
  if (keep !== undefined) {
    const count = Number(keep);
    if (!Number.isInteger(count) || count < 0)
      throw new MalletError("USAGE", `--keep must be a whole number, not "${keep}"`);
    policy.keep = count;
  }
  if (olderThan !== undefined) policy.olderThanMs = parseAge(olderThan);
  return policy;
}

function parseAge(text: string): number {
  const days = /^(\d+)d$/.exec(text);
  const ms = days ? Number(days[1]) * 86_400_000 : parseDuration(text);
  if (ms === undefined)
    throw new MalletError(
      "USAGE",
      `--older-than must be a duration such as 7d, 12h or 30m, not "${text}"`,
    );
  return ms;
}

import { defineCommand } from "citty";
import { MalletError } from "../core/errors.ts";
import { type PruneReport, pruneRuns } from "../runner/prune.ts";
import { chooseEngine } from "./engine-choice.ts";

export const pruneCommand = defineCommand({
  meta: {
    name: "prune",
    description:
      "Remove the pods, containers, volumes and temporary directories that killed runs left.\n\n" +
      "A run's objects carry the label mallet.run=<run id>; runs whose Mallet is still running\n" +
      "are kept unless named with --run or swept with --all.",
  },
  args: {
    run: { type: "string", description: "remove only this run's objects and directory" },
    all: {
      type: "boolean",
      description: "also remove every object labelled mallet.run, even of runs still going",
    },
    engine: { type: "string", description: "podman or docker (as for mallet run)" },
  },
  async run({ args }) {
    if (args.run !== undefined && !/^[0-9a-f]{8}$/.test(args.run)) {
      throw new MalletError("USAGE", `--run takes a run id of 8 hex digits, not "${args.run}"`);
    }
    const engine = chooseEngine(args.engine);
    const report = await pruneRuns(engine, {
      ...(args.run !== undefined ? { runId: args.run } : {}),
      all: Boolean(args.all),
    });
    for (const line of reportLines(report)) process.stdout.write(`${line}\n`);
  },
});

/** One line per run removed or kept, and one for what `--all` swept beyond them. */
export function reportLines(report: PruneReport): string[] {
  const lines = report.runs.map((run) => {
    const dirs = run.dirs.length > 0 ? ` and ${run.dirs.join(", ")}` : "";
    return `run ${run.runId}: removed ${objects(run.objects)}${dirs}`;
  });
  for (const runId of report.live) lines.push(`run ${runId}: still running, kept`);
  if (report.unowned > 0) {
    lines.push(`removed ${objects(report.unowned)} of other runs`);
  }
  return lines.length > 0 ? lines : ["nothing to prune"];
}

function objects(count: number): string {
  return `${count} engine object${count === 1 ? "" : "s"} (pods, containers, volumes)`;
}

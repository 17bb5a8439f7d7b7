import { defineCommand } from "citty";
import { MalletError } from "../core/errors.ts";
import { findSavedRun, readSavedEvents } from "../runner/saved-runs.ts";
import { colorWanted } from "../ui/colors.ts";
import { JsonRenderer } from "../ui/json-renderer.ts";
import { PlainRenderer } from "../ui/plain-renderer.ts";
import { processOutput, type Renderer } from "../ui/renderer.ts";
import { replay } from "../ui/replay.ts";

export const logsCommand = defineCommand({
  meta: {
    name: "logs",
    description:
      "Show the output of a saved run again, as plain lines (or JSON) as it was printed live.\n\n" +
      "Examples:\n" +
      "  mallet logs                      # the latest run\n" +
      "  mallet logs sum-three-pipeline-run -t second-add\n" +
      "  mallet logs build-run -t build[1] --step compile --timestamps\n" +
      "  mallet logs -o json | jq 'select(.type == \"log\") | .line'",
  },
  args: {
    run: {
      type: "positional",
      required: false,
      description: "the run's name, or the start of it (default: the latest run)",
    },
    task: {
      type: "string",
      alias: "t",
      description: "only this task (a matrix child as task[index])",
    },
    step: { type: "string", alias: "s", description: "only this step" },
    output: { type: "string", alias: "o", default: "plain", description: "plain or json" },
    timestamps: { type: "boolean", description: "prefix each line with the time it was printed" },
    "state-dir": { type: "string", default: ".mallet", description: "where runs are saved" },
  },
  async run({ args }) {
    const run = findSavedRun(args["state-dir"], args.run);
    const makeRenderer = (now: () => Date): Renderer => {
      if (args.output === "json") return new JsonRenderer(processOutput, { now, run: run.name });
      if (args.output !== "plain")
        throw new MalletError("USAGE", `--output must be plain or json, not "${args.output}"`);
      const color = colorWanted(Boolean(process.stdout.isTTY));
      return new PlainRenderer(processOutput, {
        timestamps: Boolean(args.timestamps),
        quiet: false,
        color,
        now,
      });
    };
    await replay(readSavedEvents(run), makeRenderer, { task: args.task, step: args.step });
  },
});

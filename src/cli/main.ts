#!/usr/bin/env node
import { type CommandDef, defineCommand, runCommand, showUsage } from "citty";
import { formatError, isMalletError } from "../core/errors.ts";
import { completionCommand } from "./completion.ts";
import { doctorCommand } from "./doctor.ts";
import { graphCommand } from "./graph.ts";
import { logsCommand } from "./logs.ts";
import { pruneCommand } from "./prune.ts";
import { runsCommand } from "./runs.ts";
import { runCommand as runSubcommand } from "./run.ts";
import { validateCommand } from "./validate.ts";
import { checkKnownFlags } from "./known-flags.ts";
import { VERSION, versionLine } from "./version.ts";

const subCommands: Record<string, CommandDef> = {
  run: runSubcommand as unknown as CommandDef,
  prune: pruneCommand as unknown as CommandDef,
  logs: logsCommand as unknown as CommandDef,
  runs: runsCommand as unknown as CommandDef,
  graph: graphCommand as unknown as CommandDef,
  doctor: doctorCommand as unknown as CommandDef,
  validate: validateCommand as unknown as CommandDef,
  completion: completionCommand(() => subCommands),
};

const main = defineCommand({
  meta: {
    name: "mallet",
    version: VERSION,
    description: "Run Tekton pipelines on one machine, with podman or docker",
  },
  subCommands,
});

/** Usage and input errors exit 2, a failed run or engine trouble 1; never a stack trace. */
function exitCodeOf(error: unknown): number {
  if (isMalletError(error)) return error.code === "ENGINE" ? 1 : 2;
  if (error instanceof Error && error.name === "CLIError") return 2;
  return 1;
}

function report(error: unknown): void {
  const message = isMalletError(error)
    ? formatError(error)
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`mallet: ${message}\n`);
  process.exitCode = exitCodeOf(error);
}

async function start(rawArgs: string[]): Promise<void> {
  const sub = rawArgs.find((arg) => !arg.startsWith("-"));
  const command = sub ? subCommands[sub] : undefined;
  if (rawArgs.includes("--help") || rawArgs.includes("-h") || rawArgs.length === 0) {
    await showUsage(command ?? main, command ? main : undefined);
    return;
  }
  if (rawArgs.length === 1 && rawArgs[0] === "--version") {
    process.stdout.write(`${versionLine()}\n`);
    return;
  }
  if (sub && !command)
    throw Object.assign(new Error(`unknown command "${sub}"; see mallet --help`), {
      name: "CLIError",
    });
  if (command?.args) {
    const args = typeof command.args === "function" ? await command.args() : await command.args;
    checkKnownFlags(args, rawArgs.slice(rawArgs.indexOf(sub as string) + 1));
  }
  await runCommand(main, { rawArgs });
}

process.on("uncaughtException", (error) => {
  report(error);
  process.exit();
});

await start(process.argv.slice(2)).catch(report);

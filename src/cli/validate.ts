import { fastYamlParse } from "./fast-yaml.ts";
import { relative, resolve } from "node:path";
import { defineCommand } from "citty";
import { formatError, isMalletError, MalletError } from "../core/errors.ts";
import { countBySeverity, validate } from "../core/validate/validate.ts";
import {
  formatDiagnostics,
  formatSummary,
  isValidateFormat,
  VALIDATE_FORMATS,
} from "../ui/validate-format.ts";
import { repeatedFlags } from "./repeated.ts";
import { findConfigFile, loadValidateConfig } from "./validate-config.ts";
import { collectFiles as listFiles, readFiles as readSources } from "./read-files.ts";

export const validateCommand = defineCommand({
  meta: {
    name: "validate",
    description:
      "Check Tekton YAML offline with Tekton's own validation rules; other YAML is skipped.\n\n" +
      "Exit status: 0 no errors, 1 errors found, 2 usage error.\n" +
      "Examples:\n" +
      "  mallet validate .tekton/\n" +
      "  mallet validate --references tasks/ pipeline.yaml\n" +
      "  mallet validate --format github .tekton/",
  },
  args: {
    input: {
      type: "positional",
      description: "files or directories of YAML, or - for stdin",
      required: false,
    },
    format: {
      type: "string",
      default: "text",
      description: `output: ${VALIDATE_FORMATS.join(", ")}`,
    },
    references: {
      type: "string",
      alias: "resources",
      description:
        "directory read for the Tasks, Pipelines and StepActions refs name (not reported on); repeatable",
    },
    config: { type: "string", description: "config file (default: the nearest .mallet.yaml)" },
    quiet: { type: "boolean", alias: "q", description: "report errors only" },
  },
  async run({ args, rawArgs }) {
    try {
      process.exitCode = await runValidate(args._, {
        format: args.format,
        references: repeatedFlags(rawArgs, { references: undefined, resources: undefined }),
        config: args.config,
        quiet: Boolean(args.quiet),
      });
    } catch (error) {
      // A bug is reported in one line too: the hook's user needs the message, not the stack.
      const message = isMalletError(error)
        ? formatError(error)
        : `internal error, please report it: ${error instanceof Error ? error.message : String(error)}`;
      process.stderr.write(`mallet validate: ${message}\n`);
      process.exitCode = 2;
    }
  },
});

interface ValidateFlags {
  format: string;
  references: Record<string, string[]>;
  config: string | undefined;
  quiet: boolean;
}

/** Reads, validates and prints; returns the exit code (usage problems throw). */
async function runValidate(inputs: readonly string[], flags: ValidateFlags): Promise<number> {
  if (inputs.length === 0) {
    throw new MalletError("USAGE", "name the files or directories to check (or - for stdin)");
  }
  if (!isValidateFormat(flags.format)) {
    throw new MalletError(
      "USAGE",
      `unknown format "${flags.format}" (use ${VALIDATE_FORMATS.join(", ")})`,
    );
  }
  const config = await loadValidateConfig(flags.config ?? findConfigFile(process.cwd()));
  const files = readSources(listFiles(inputs));
  const given = new Set(files.map((source) => resolve(source.file)));
  const referenceDirs = [
    ...(flags.references.references ?? []),
    ...(flags.references.resources ?? []),
    ...config.references,
  ];
  // Relative to here, like the files given, so that refs can find the nearest definition.
  const referenceFiles = listFiles(referenceDirs)
    .filter((file) => !given.has(resolve(file)))
    .map((file) => relative(process.cwd(), file));
  const references = readSources(referenceFiles);

  const diagnostics = validate({
    files,
    references,
    rules: config.rules,
    errorsOnly: flags.quiet,
    ...(fastYamlParse ? { fastParse: fastYamlParse } : {}),
  });
  process.stdout.write(formatDiagnostics(diagnostics, flags.format, files.length));
  if (flags.format === "text") {
    process.stderr.write(`${formatSummary(diagnostics, files.length)}\n`);
  }
  return countBySeverity(diagnostics).errors > 0 ? 1 : 0;
}

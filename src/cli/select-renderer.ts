import { MalletError } from "../core/errors.ts";
import { colorWanted } from "../ui/colors.ts";
import { JsonRenderer } from "../ui/json-renderer.ts";
import { PlainRenderer } from "../ui/plain-renderer.ts";
import { processOutput, type Renderer } from "../ui/renderer.ts";
import { TreeRenderer } from "../ui/tree-renderer.ts";

export interface RendererChoice {
  output: string | undefined;
  timestamps: boolean;
  quiet: boolean;
  verbose: boolean;
  /** TaskRuns run at once; the tree uses it to tell when a matrix has no child left. */
  concurrency?: number;
}

/** What the environment says about where output goes. */
export interface Terminal {
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export type OutputKind = "tree" | "plain" | "json";

/**
 * Chooses how a run is shown: `--output` if given; else the listr2 tree on a terminal,
 * and plain lines in CI, in pipes, with NO_COLOR or TERM=dumb, or with --quiet.
 */
export function chooseOutput(choice: RendererChoice, terminal: Terminal): OutputKind {
  const wanted = choice.output;
  if (wanted === "tree" || wanted === "plain" || wanted === "json") return wanted;
  if (wanted !== undefined)
    throw new MalletError("USAGE", `--output must be tree, plain or json, not "${wanted}"`);
  const { env } = terminal;
  const plainWanted =
    choice.quiet || Boolean(env.CI) || Boolean(env.NO_COLOR) || env.TERM === "dumb";
  return terminal.isTTY && !plainWanted ? "tree" : "plain";
}

/** The renderer for a run, chosen by `chooseOutput`. */
export function selectRenderer(choice: RendererChoice, terminal = processTerminal()): Renderer {
  const kind = chooseOutput(choice, terminal);
  if (kind === "json") return new JsonRenderer(processOutput);
  if (kind === "tree") {
    return new TreeRenderer(processOutput, {
      verbose: choice.verbose,
      ...(choice.concurrency === undefined ? {} : { concurrency: choice.concurrency }),
    });
  }
  return new PlainRenderer(processOutput, {
    timestamps: choice.timestamps,
    quiet: choice.quiet,
    color: colorWanted(terminal.isTTY, terminal.env),
  });
}

function processTerminal(): Terminal {
  return { isTTY: Boolean(process.stdout.isTTY), env: process.env };
}

import { type ArgsDef, type CommandDef, defineCommand } from "citty";
import { MalletError } from "../core/errors.ts";
import {
  bashScript,
  type CompletionCommand,
  fishScript,
  zshScript,
} from "../ui/completion-scripts.ts";

type Commands = Record<string, CommandDef>;

/**
 * `mallet completion SHELL`, built from the registered commands (given lazily, as this
 * command is one of them) so a new command or flag completes without changes here.
 */
export function completionCommand(commands: () => Commands): CommandDef {
  return defineCommand({
    meta: {
      name: "completion",
      description:
        "Print a shell completion script for bash, zsh or fish.\n\n" +
        "Examples:\n" +
        "  source <(mallet completion bash)      # in ~/.bashrc\n" +
        "  source <(mallet completion zsh)       # in ~/.zshrc\n" +
        "  mallet completion fish > ~/.config/fish/completions/mallet.fish",
    },
    args: { shell: { type: "positional", required: true, description: "bash, zsh or fish" } },
    async run({ args }) {
      const described = await describeCommands(commands());
      const scripts: Record<string, (list: CompletionCommand[]) => string> = {
        bash: bashScript,
        zsh: zshScript,
        fish: fishScript,
      };
      const script = scripts[args.shell];
      if (!script)
        throw new MalletError("USAGE", `the shell must be bash, zsh or fish, not "${args.shell}"`);
      process.stdout.write(script(described));
    },
  }) as unknown as CommandDef;
}

/** Commands and their flags, read from citty definitions. */
export async function describeCommands(commands: Commands): Promise<CompletionCommand[]> {
  const described: CompletionCommand[] = [];
  for (const [name, command] of Object.entries(commands)) {
    const meta = await resolve(command.meta);
    const args = (await resolve(command.args)) ?? {};
    described.push({ name, description: meta?.description ?? "", flags: flagsOf(args) });
  }
  return described;
}

function flagsOf(args: ArgsDef): CompletionCommand["flags"] {
  return Object.entries(args).flatMap(([long, arg]) => {
    if (arg.type === "positional") return [];
    const aliases = "alias" in arg && arg.alias !== undefined ? [arg.alias].flat() : [];
    const short = aliases.find((alias) => alias.length === 1);
    return [
      { long, short, description: arg.description ?? "", takesValue: arg.type !== "boolean" },
    ];
  });
}

async function resolve<T>(
  value: T | Promise<T> | (() => T | Promise<T>) | undefined,
): Promise<T | undefined> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

import type { ArgsDef } from "citty";
import { MalletError } from "../core/errors.ts";

/**
 * citty passes unknown flags over silently, so a typo such as `--dryrun` would run a pipeline
 * for real. Every flag must be one the command declares (or its `--no-` form).
 */
export function checkKnownFlags(args: ArgsDef, rawArgs: readonly string[]): void {
  const known = new Map<string, string>([
    ["help", "boolean"],
    ["h", "boolean"],
  ]);
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    known.set(name, def.type ?? "string");
    const aliases = "alias" in def && def.alias ? def.alias : [];
    for (const alias of Array.isArray(aliases) ? aliases : [aliases])
      known.set(alias, def.type ?? "string");
  }
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") return;
    if (!arg.startsWith("-") || arg === "-") continue;
    const [flag = "", inline] = arg.replace(/^--?/, "").split("=", 2);
    const type =
      known.get(flag) ?? (flag.startsWith("no-") ? booleanOf(known, flag.slice(3)) : undefined);
    if (type === undefined) {
      throw new MalletError("USAGE", `unknown option ${arg.split("=")[0]}; see --help`);
    }
    // A string flag without `=value` takes the next argument as its value, even "-x".
    if (type === "string" && inline === undefined) i++;
  }
}

function booleanOf(known: Map<string, string>, name: string): string | undefined {
  return known.get(name) === "boolean" ? "boolean" : undefined;
}

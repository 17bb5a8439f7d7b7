import { parseArgs } from "node:util";

/**
 * citty keeps only the last value of a repeated flag; these flags may repeat (`-p a=1 -p b=2`),
 * so they are read again from the raw argv with node's parser.
 */
export function repeatedFlags(
  rawArgs: readonly string[],
  flags: Record<string, string | undefined>,
): Record<string, string[]> {
  const options: Record<string, { type: "string"; multiple: true; short?: string }> = {};
  for (const [name, short] of Object.entries(flags)) {
    options[name] = { type: "string", multiple: true, ...(short ? { short } : {}) };
  }
  const { values } = parseArgs({
    args: [...rawArgs],
    options,
    strict: false,
    allowPositionals: true,
  });
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(flags)) {
    const value = values[name];
    out[name] = Array.isArray(value)
      ? value.filter((item): item is string => typeof item === "string")
      : [];
  }
  return out;
}

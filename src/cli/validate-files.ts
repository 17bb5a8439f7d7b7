import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { MalletError } from "../core/errors.ts";
import type { SourceText } from "../core/validate/validate.ts";

// The same walk as input.ts's collectFiles and readInput, kept apart because input.ts loads
// the YAML parser and the decoder at import, which would cost a pre-commit hook ~18 ms on
// every run where the fast parser finds nothing to report.

const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The YAML files named by the arguments: files as given, directories walked in name order. */
export function listFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (path === "-") return ["-"];
    let directory: boolean;
    try {
      directory = statSync(path).isDirectory();
    } catch {
      throw new MalletError("INPUT", `${path}: no such file or directory`);
    }
    return directory ? walk(path) : [path];
  });
}

function walk(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith(".") ? [] : walk(path);
    return YAML_EXTENSIONS.has(extname(entry.name)) ? [path] : [];
  });
}

/** Reads the files (stdin for `-`); an unreadable or oversized one is an input error. */
export function readSources(files: readonly string[]): SourceText[] {
  return files.map((file) => {
    const name = file === "-" ? "<stdin>" : file;
    let buffer: Buffer;
    try {
      buffer = readFileSync(file === "-" ? 0 : file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new MalletError("INPUT", `${name}: cannot read (${code})`);
    }
    if (buffer.length > MAX_FILE_BYTES) {
      throw new MalletError("INPUT", `${name}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    }
    return { file: name, text: buffer.toString("utf8") };
  });
}

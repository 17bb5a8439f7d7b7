import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { MalletError } from "../core/errors.ts";
import { decodeDocument } from "../core/load/decode.ts";
import { parseYamlDocuments } from "../core/load/parse-yaml.ts";
import type { Resource } from "../core/model/resources.ts";

const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);
/** Files larger than this are refused before parsing: no Tekton document is this big. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Lists the YAML files named by the arguments: files as given, directories recursively. */
export function collectFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (path === "-") {
      files.push("-");
      continue;
    }
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch {
      throw new MalletError("INPUT", `${path}: no such file or directory`);
    }
    if (stats.isDirectory()) files.push(...walk(path));
    else files.push(path);
  }
  return files;
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

/** Reads a file (or stdin for `-`), refusing oversized input. */
export function readInput(file: string): string {
  const name = file === "-" ? "<stdin>" : file;
  const buffer = readFileSync(file === "-" ? 0 : file);
  if (buffer.length > MAX_FILE_BYTES) {
    throw new MalletError("INPUT", `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, {
      file: name,
      line: 1,
      col: 1,
    });
  }
  return buffer.toString("utf8");
}

/** Loads and decodes every document of the given files. */
export function loadResources(paths: readonly string[]): Resource[] {
  const resources: Resource[] = [];
  for (const file of collectFiles(paths)) {
    const name = file === "-" ? "<stdin>" : file;
    for (const doc of parseYamlDocuments(readInput(file), name)) {
      const resource = decodeDocument(doc);
      if (resource) resources.push(resource);
    }
  }
  return resources;
}

import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { MalletError } from "../core/errors.ts";
import { positionOf } from "../core/load/nesting-scan.ts";

// Reading input is kept apart from parsing it, so that `mallet validate` (a pre-commit hook)
// reads files without loading the YAML parser it may not need.

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
  const buffer = readAtMost(file, MAX_FILE_BYTES + 1);
  if (buffer.length > MAX_FILE_BYTES) {
    throw new MalletError("INPUT", `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, {
      file: name,
      line: 1,
      col: 1,
    });
  }
  return decodeUtf8(buffer, name);
}

// Stops after `limit` bytes: `/dev/zero` or an endless pipe on stdin is refused, not read.
function readAtMost(file: string, limit: number): Buffer {
  const fd = file === "-" ? 0 : openSync(file, "r");
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, limit - total));
      const read = readChunk(fd, chunk);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
    }
  } finally {
    if (fd !== 0) closeSync(fd);
  }
  return Buffer.concat(chunks);
}

// A non-blocking stdin answers EAGAIN until data comes: wait a moment and read again.
function readChunk(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EOF") return 0;
      if (code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

// Kubernetes YAML is UTF-8; anything else (an image, a UTF-16 file) is refused where it starts.
function decodeUtf8(buffer: Buffer, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    const text = buffer.toString("utf8");
    const at = positionOf(text, Math.max(0, text.indexOf("\uFFFD")));
    throw new MalletError("INPUT", "file is not UTF-8 text", { file, ...at });
  }
}

/** A file's name (`<stdin>` for `-`) and text, read once for both loading and validation. */
export interface Source {
  file: string;
  text: string;
}

/** Reads every YAML file the arguments name. */
export function readSources(paths: readonly string[]): Source[] {
  return readFiles(collectFiles(paths));
}

/** Reads listed files (stdin for `-`). */
export function readFiles(files: readonly string[]): Source[] {
  return files.map((file) => ({ file: file === "-" ? "<stdin>" : file, text: readInput(file) }));
}

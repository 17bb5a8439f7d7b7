import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  paramOr,
  ResolveError,
  requestHash,
  requestKey,
  type ResolutionRequest,
} from "./request-key.ts";

/** How a request uses the cache, from its `cache` param as Tekton defines it. */
export type CacheMode = "always" | "never" | "auto";

/** What is stored beside each cached document, to check it and to tell what it is. */
interface CacheMeta {
  request: string;
  sha256: string;
  fetchedAt: string;
}

/** `$MALLET_CACHE_DIR`, else `$XDG_CACHE_HOME/mallet/resolve`, else `~/.cache/mallet/resolve`. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.MALLET_CACHE_DIR) return env.MALLET_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "mallet", "resolve");
}

/** Reads the `cache` param: `always`, `never` or `auto` (the default). */
export function cacheMode(request: ResolutionRequest): CacheMode {
  const mode = paramOr(request, "cache", "auto");
  if (mode === "always" || mode === "never" || mode === "auto") return mode;
  throw new ResolveError(`cache param must be always, never or auto, not "${mode}"`);
}

/**
 * Whether a cached answer may stand in for fetching while online: with `always`, or with
 * `auto` when the request names something that cannot change (a commit, a digest).
 */
export function mayReuse(mode: CacheMode, immutable: boolean): boolean {
  return mode === "always" || (mode === "auto" && immutable);
}

/** Resolved documents on disk, one file per exact request, written whole or not at all. */
export class ResolveCache {
  constructor(readonly dir: string) {}

  /** The cached document, or undefined when absent or damaged. */
  read(request: ResolutionRequest): string | undefined {
    const base = join(this.dir, requestHash(request));
    try {
      const meta = JSON.parse(readFileSync(`${base}.json`, "utf8")) as CacheMeta;
      const text = readFileSync(`${base}.yaml`, "utf8");
      if (meta.request !== requestKey(request) || meta.sha256 !== sha256(text)) return undefined;
      return text;
    } catch {
      return undefined;
    }
  }

  /** Stores a document; a cache that cannot be written only costs a fetch next time. */
  write(request: ResolutionRequest, text: string): void {
    const base = join(this.dir, requestHash(request));
    const meta: CacheMeta = {
      request: requestKey(request),
      sha256: sha256(text),
      fetchedAt: new Date().toISOString(),
    };
    try {
      mkdirSync(this.dir, { recursive: true });
      writeWhole(`${base}.yaml`, text);
      writeWhole(`${base}.json`, `${JSON.stringify(meta, null, 2)}\n`);
    } catch {}
  }
}

// Written aside and renamed, so a reader never sees half a file.
function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

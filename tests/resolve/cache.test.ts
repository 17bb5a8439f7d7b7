import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCacheDir, ResolveCache } from "../../src/resolve/cache.ts";
import { requestHash } from "../../src/resolve/request-key.ts";

const dir = mkdtempSync(join(tmpdir(), "mallet-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request = { resolver: "http", params: { url: "http://h/t.yaml" } };

describe("ResolveCache", () => {
  test("gives back what was written for the same request, nothing for another", () => {
    const cache = new ResolveCache(join(dir, "a"));
    expect(cache.read(request)).toBeUndefined();
    cache.write(request, "kind: Task\n");
    expect(cache.read({ ...request, params: { url: "http://h/t.yaml", cache: "always" } })).toBe(
      "kind: Task\n",
    );
    expect(cache.read({ resolver: "http", params: { url: "http://h/u.yaml" } })).toBeUndefined();
    const hash = requestHash(request);
    expect(readdirSync(join(dir, "a")).sort()).toEqual([`${hash}.json`, `${hash}.yaml`]);
  });

  test("a damaged document is treated as missing", () => {
    const cache = new ResolveCache(join(dir, "b"));
    cache.write(request, "kind: Task\n");
    writeFileSync(join(dir, "b", `${requestHash(request)}.yaml`), "kind: Tsak\n");
    expect(cache.read(request)).toBeUndefined();
  });

  test("a cache that cannot be written is no error", () => {
    const file = join(dir, "file");
    writeFileSync(file, "");
    expect(() => new ResolveCache(join(file, "sub")).write(request, "x")).not.toThrow();
  });
});

describe("defaultCacheDir", () => {
  test.each([
    [{ MALLET_CACHE_DIR: "/m", XDG_CACHE_HOME: "/x" }, "/m"],
    [{ XDG_CACHE_HOME: "/x" }, "/x/mallet/resolve"],
  ])("%j gives %s", (env, expected) => {
    expect(defaultCacheDir(env)).toBe(expected);
  });

  test("falls back to ~/.cache", () => {
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/mallet\/resolve$/);
  });
});

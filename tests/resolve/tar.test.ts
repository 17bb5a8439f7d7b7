import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { layerDocument } from "../../src/resolve/bundles.ts";
import { firstTarFile } from "../../src/resolve/tar.ts";

const dir = mkdtempSync(join(tmpdir(), "mallet-tar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TASK = "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\n";

/** Archives files with the system's tar, so the reader is checked against a real writer. */
function tar(format: string, files: Record<string, string>, extra: string[] = []): Buffer {
  const root = mkdtempSync(join(dir, "src-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const out = join(root, "..", `${format}-${Math.random()}.tar`);
  const result = spawnSync("tar", [
    "-cf",
    out,
    `--format=${format}`,
    ...extra,
    "-C",
    root,
    ...Object.keys(files),
  ]);
  if (result.status !== 0) throw new Error(result.stderr.toString());
  return readFileSync(out);
}

describe("firstTarFile", () => {
  test.each(["ustar", "gnu", "pax"])("reads the one file of a %s archive", (format) => {
    expect(firstTarFile(tar(format, { "task.yaml": TASK }))?.toString()).toBe(TASK);
  });

  test("skips a directory and a pax header with a long name before the file", () => {
    const long = `${"d".repeat(120)}/task.yaml`;
    const bytes = tar("pax", { [long]: TASK }, []);
    expect(firstTarFile(bytes)?.toString()).toBe(TASK);
  });

  test("takes the first of several files", () => {
    const bytes = tar("ustar", { "a.yaml": "first\n", "b.yaml": "second\n" });
    expect(firstTarFile(bytes)?.toString()).toBe("first\n");
  });

  test.each([
    ["YAML text", Buffer.from(TASK)],
    ["a block of zeros", Buffer.alloc(1024)],
    ["a truncated archive", tar("ustar", { "task.yaml": TASK.repeat(100) }).subarray(0, 700)],
  ])("is undefined for %s", (_name, bytes) => {
    expect(firstTarFile(bytes)).toBeUndefined();
  });
});

describe("layerDocument", () => {
  test("gunzips a tar+gzip layer and reads its file", () => {
    expect(layerDocument(gzipSync(tar("ustar", { "t.yaml": TASK })), 1 << 20).toString()).toBe(
      TASK,
    );
  });

  test("takes an uncompressed or raw layer as it is", () => {
    expect(layerDocument(tar("gnu", { "t.yaml": TASK }), 1 << 20).toString()).toBe(TASK);
    expect(layerDocument(Buffer.from(TASK), 1 << 20).toString()).toBe(TASK);
    expect(layerDocument(gzipSync(TASK), 1 << 20).toString()).toBe(TASK);
  });

  test("refuses a layer that unpacks beyond the size limit", () => {
    expect(() => layerDocument(gzipSync(Buffer.alloc(4096)), 1024)).toThrow(
      "the bundle layer is larger than the limit",
    );
  });
});

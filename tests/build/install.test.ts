import { afterAll, beforeAll, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/mallet.ts";

// A fake release served over HTTP: a tiny "binary" for this machine and its SHA256SUMS.
const ASSET = `mallet-${process.platform}-${process.arch}`;
const FAKE_BINARY = "#!/bin/sh\necho 'mallet 9.9.9 (fake)'\n";
const release = mkdtempSync(join(tmpdir(), "mallet-release-"));
const DIST = join(ROOT, "dist");
let served = release;
// install.sh downloads with curl or wget; a host with neither cannot run these tests.
const downloader = ["curl", "wget"].some((tool) =>
  (process.env.PATH ?? "").split(":").some((dir) => existsSync(join(dir, tool))),
);
if (!downloader) console.warn("skipping tests/build/install.test.ts: neither curl nor wget");
let server: Server;
let baseUrl: string;

function writeRelease(checksum: string): void {
  writeFileSync(join(release, ASSET), FAKE_BINARY);
  writeFileSync(join(release, "SHA256SUMS"), `${checksum}  ${ASSET}\n`);
}

// Asynchronous, so that this process's HTTP server can answer the script's downloads.
function install(prefix: string, url = baseUrl) {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: prefix,
    PREFIX: prefix,
    MALLET_DOWNLOAD_URL: url,
  };
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) => {
    execFile("sh", [join(ROOT, "scripts/install.sh")], { env }, (error, stdout, stderr) => {
      done({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const file = join(served, (request.url ?? "/").slice(1));
    if (!existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  rmSync(release, { recursive: true, force: true });
});

async function withPrefix(check: (prefix: string) => Promise<void>): Promise<void> {
  const prefix = mkdtempSync(join(tmpdir(), "mallet-prefix-"));
  try {
    await check(prefix);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

test.skipIf(!downloader)(
  "install.sh downloads this machine's binary, checks it and installs it to $PREFIX/bin",
  async () => {
    writeRelease(createHash("sha256").update(FAKE_BINARY).digest("hex"));
    await withPrefix(async (prefix) => {
      const result = await install(prefix);
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`downloading ${ASSET} from ${baseUrl}`);
      expect(result.stdout).toContain(`installed mallet 9.9.9 (fake) to ${prefix}/bin/mallet`);
      expect(readFileSync(join(prefix, "bin/mallet"), "utf8")).toBe(FAKE_BINARY);
    });
  },
);

test.skipIf(!downloader)(
  "install.sh refuses a binary whose checksum does not match, and installs nothing",
  async () => {
    writeRelease("0".repeat(64));
    await withPrefix(async (prefix) => {
      const result = await install(prefix);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`install.sh: checksum mismatch for ${ASSET}`);
      expect(existsSync(join(prefix, "bin/mallet"))).toBe(false);
    });
  },
);

test.skipIf(!downloader)("install.sh fails with the URL when the download is missing", async () => {
  await withPrefix(async (prefix) => {
    const result = await install(prefix, `${baseUrl}/no-such-release`);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`could not download ${baseUrl}/no-such-release/${ASSET}`);
  });
});

const built = downloader && existsSync(join(DIST, ASSET)) && existsSync(join(DIST, "SHA256SUMS"));
if (!built) console.warn(`skipping the dist/ install test: run bun scripts/build.ts --all first`);

test.skipIf(!built)(
  "install.sh installs the release that scripts/build.ts --all wrote",
  async () => {
    served = DIST;
    try {
      await withPrefix(async (prefix) => {
        const result = await install(prefix);
        expect(result.exitCode).toBe(0);
        expect(result.stdout).toMatch(/installed mallet \d+\.\d+\.\d+\S* \([0-9a-f]{7}/);
      });
    } finally {
      served = release;
    }
  },
);

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/** A server a test started on loopback; `stop` ends it. */
export interface Started {
  url: string;
  stop(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

function unauthorized(): Response {
  return new Response("unauthorized\n", {
    status: 401,
    headers: { "www-authenticate": 'Basic realm="mallet-test"' },
  });
}

/** Serves files from a map; paths under /private/ need basic auth with `credentials`. */
export function serveFiles(
  files: Map<string, string>,
  credentials: { username: string; password: string },
): Started {
  const server = Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      const wanted = basic(credentials.username, credentials.password);
      if (pathname.startsWith("/private/") && request.headers.get("authorization") !== wanted)
        return unauthorized();
      if (pathname === "/hang") return new Promise<Response>(() => {});
      const body = files.get(pathname);
      return body === undefined ? new Response("not found\n", { status: 404 }) : new Response(body);
    },
  });
  return { url: `http://${LOOPBACK}:${server.port}`, stop: async () => server.stop(true) };
}

/**
 * Serves the bare repositories under `root` through `git http-backend` (CGI): `/public/...`
 * to anyone, `/private/...` only with a token as basic auth (user `git`), as a forge would.
 */
export function serveGit(root: string, token: string): Started {
  const server = Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const [, area, ...rest] = url.pathname.split("/");
      if (area === "private" && request.headers.get("authorization") !== basic("git", token))
        return unauthorized();
      if (area !== "private" && area !== "public") return new Response("", { status: 404 });
      const body = Buffer.from(await request.arrayBuffer());
      const child = Bun.spawn(["git", "http-backend"], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          GIT_PROJECT_ROOT: root,
          GIT_HTTP_EXPORT_ALL: "1",
          PATH_INFO: `/${rest.join("/")}`,
          QUERY_STRING: url.search.slice(1),
          REQUEST_METHOD: request.method,
          CONTENT_TYPE: request.headers.get("content-type") ?? "",
          CONTENT_LENGTH: String(body.length),
          HTTP_CONTENT_ENCODING: request.headers.get("content-encoding") ?? "",
          GIT_PROTOCOL: request.headers.get("git-protocol") ?? "",
          REMOTE_ADDR: LOOPBACK,
        },
        stdin: body,
        stdout: "pipe",
        stderr: "ignore",
      });
      return cgiResponse(Buffer.from(await new Response(child.stdout).arrayBuffer()));
    },
  });
  return { url: `http://${LOOPBACK}:${server.port}`, stop: async () => server.stop(true) };
}

// A CGI answer is header lines, a blank line, then the body; `Status:` sets the status.
function cgiResponse(output: Buffer): Response {
  const end = output.indexOf("\r\n\r\n");
  const headerText = output.subarray(0, end).toString("latin1");
  const headers = new Headers();
  let status = 200;
  for (const line of headerText.split("\r\n")) {
    const colon = line.indexOf(":");
    const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
    else headers.append(name, value);
  }
  return new Response(output.subarray(end + 4), { status, headers });
}

/** One hub package: its versions, each with the YAML the hub hands out. */
export type HubPackages = Map<string, Map<string, string>>;

/** Answers Artifact Hub's API for packages keyed `tekton-<kind>/<catalog>/<name>`. */
export function serveHub(packages: HubPackages): Started {
  const server = Bun.serve({
    hostname: LOOPBACK,
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      const match = /^\/api\/v1\/packages\/([^/]+\/[^/]+\/[^/]+)(?:\/([^/]+))?$/.exec(path);
      const versions = match ? packages.get(match[1] as string) : undefined;
      if (!match || !versions) return new Response("{}", { status: 404 });
      if (match[2] === undefined) {
        const available = [...versions.keys()].map((version) => ({
          version,
          prerelease: version.includes("-"),
        }));
        return Response.json({ available_versions: available });
      }
      const yaml = versions.get(match[2]);
      if (yaml === undefined) return new Response("{}", { status: 404 });
      return Response.json({ data: { manifestRaw: yaml } });
    },
  });
  return { url: `http://${LOOPBACK}:${server.port}`, stop: async () => server.stop(true) };
}

const REGISTRY_BIN = "/usr/bin/docker-registry";

/** True when Debian's `docker-registry` package is installed. */
export function hasRegistry(): boolean {
  return existsSync(REGISTRY_BIN);
}

/** Starts `docker-registry serve` on a free loopback port with its storage under `dir`. */
export async function startRegistry(dir: string): Promise<Started> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log: {level: error}",
      `storage: {filesystem: {rootdirectory: ${join(dir, "data")}}}`,
      `http: {addr: "${LOOPBACK}:${port}"}`,
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ["serve", config], { stdio: "ignore" });
  const url = `http://${LOOPBACK}:${port}`;
  await waitFor(`${url}/v2/`);
  return {
    url,
    stop: async () => {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await Bun.sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** One object of a Tekton bundle: its annotations and its layer (a tar.gz of the YAML). */
export interface BundleObject {
  apiVersion: string;
  kind: string;
  name: string;
  layer: Buffer;
}

/** Pushes an OCI image that follows the Tekton bundle contract, through the registry API. */
export async function pushBundle(
  registry: string,
  repository: string,
  tag: string,
  objects: BundleObject[],
) {
  const config = Buffer.from("{}");
  const configDigest = await pushBlob(registry, repository, config);
  const layers = [];
  for (const object of objects) {
    layers.push({
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: await pushBlob(registry, repository, object.layer),
      size: object.layer.length,
      annotations: {
        "dev.tekton.image.apiVersion": object.apiVersion,
        "dev.tekton.image.kind": object.kind,
        "dev.tekton.image.name": object.name,
      },
    });
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.image.config.v1+json",
      digest: configDigest,
      size: config.length,
    },
    layers,
  });
  const response = await fetch(`${registry}/v2/${repository}/manifests/${tag}`, {
    method: "PUT",
    headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
    body: manifest,
  });
  if (response.status !== 201)
    throw new Error(`manifest push: ${response.status} ${await response.text()}`);
  return `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
}

async function pushBlob(registry: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const start = await fetch(`${registry}/v2/${repository}/blobs/uploads/`, { method: "POST" });
  const location = start.headers.get("location");
  if (start.status !== 202 || !location) throw new Error(`blob upload: ${start.status}`);
  const target = new URL(location, registry);
  target.searchParams.set("digest", digest);
  const put = await fetch(target, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  });
  if (put.status !== 201) throw new Error(`blob put: ${put.status} ${await put.text()}`);
  return digest;
}

/** Runs git in `dir` with a fixed identity, failing loudly. */
export function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", [
    "-C",
    dir,
    "-c",
    "user.name=t",
    "-c",
    "user.email=t@t",
    ...args,
  ]);
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.toString().trim();
}

/** A tar.gz holding one file, made by the system's tar as a bundle tool would. */
export function tarGz(dir: string, name: string, text: string): Buffer {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  const out = join(dir, `${name}.tar.gz`);
  const result = spawnSync("tar", ["-czf", out, "-C", dir, name]);
  if (result.status !== 0) throw new Error(`tar: ${result.stderr}`);
  return readFileSync(out);
}

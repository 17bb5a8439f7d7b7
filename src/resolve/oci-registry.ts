import { createHash } from "node:crypto";
import { fetchBytes, statusError } from "./fetch-bytes.ts";
import { ResolveError } from "./request-key.ts";

/** An image reference split as the registry API needs it. */
export interface ImageRef {
  /** Host and port, as written (`docker.io` for short names). */
  registry: string;
  repository: string;
  /** A tag, or a digest `sha256:...`. */
  reference: string;
}

export interface Credentials {
  username: string;
  password: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Parses `host:port/repo/name:tag`, `name@sha256:...` or a short Docker Hub name. */
export function parseImageRef(text: string): ImageRef {
  const [named, digest, ...extra] = text.split("@");
  if (!named || extra.length > 0 || (digest !== undefined && !DIGEST.test(digest)))
    throw new ResolveError(`bundle "${text}" is no image reference`);
  const slash = named.indexOf("/");
  const first = slash < 0 ? "" : named.slice(0, slash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  const registry = hasRegistry ? first : "docker.io";
  let path = hasRegistry ? named.slice(slash + 1) : named;
  let tag = "latest";
  const colon = path.lastIndexOf(":");
  if (colon > path.lastIndexOf("/")) [path, tag] = [path.slice(0, colon), path.slice(colon + 1)];
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(path))
    throw new ResolveError(`bundle "${text}" is no image reference`);
  const repository = registry === "docker.io" && !path.includes("/") ? `library/${path}` : path;
  return { registry, repository, reference: digest ?? tag };
}

/** The registry's API base: plain http on loopback and `.local`, as go-containerregistry. */
export function registryBase(registry: string): string {
  const host = registry.replace(/:\d+$/, "");
  const insecure =
    host === "localhost" || host === "[::1]" || host.endsWith(".local") || /^127\./.test(host);
  if (registry === "docker.io") return "https://registry-1.docker.io";
  return `${insecure ? "http" : "https"}://${registry}`;
}

/** Reads credentials for a registry from a docker config Secret (`.dockerconfigjson`). */
export function registryCredentials(
  data: Readonly<Record<string, string>>,
  registry: string,
): Credentials | undefined {
  const text = data[".dockerconfigjson"] ?? data[".dockercfg"];
  if (text === undefined) return undefined;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ResolveError("the registry Secret's docker config is not JSON");
  }
  const auths = (config.auths ?? config) as Record<string, Record<string, string> | undefined>;
  const hosts = registry === "docker.io" ? ["docker.io", "index.docker.io"] : [registry];
  for (const [key, entry] of Object.entries(auths)) {
    const host = key.replace(/^https?:\/\//, "").split("/")[0] ?? "";
    if (!entry || !hosts.includes(host)) continue;
    if (entry.username !== undefined)
      return { username: entry.username, password: entry.password ?? "" };
    if (entry.auth === undefined) continue;
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

/** The parts of a `WWW-Authenticate: Bearer realm=...,service=...` challenge. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g))
    params[(match[1] as string).toLowerCase()] = match[2] as string;
  return { scheme, params };
}

/** A client for one repository of a registry: anonymous, basic or bearer-token auth. */
export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly image: ImageRef,
    private readonly credentials: Credentials | undefined,
    private readonly options: { signal: AbortSignal; maxBytes: number },
  ) {}

  /** GETs a path under `/v2/<repository>/`, answering one auth challenge on the way. */
  async get(path: string, accept?: string): Promise<{ body: Buffer; contentType: string }> {
    const url = `${registryBase(this.image.registry)}/v2/${this.image.repository}/${path}`;
    let response = await this.fetch(url, accept);
    if (response.status === 401 && this.authorization === undefined) {
      this.authorization = await this.answer(response.headers.get("www-authenticate") ?? "", url);
      response = await this.fetch(url, accept);
    }
    if (response.status !== 200) throw statusError(url, response.status);
    return { body: response.body, contentType: response.headers.get("content-type") ?? "" };
  }

  /** GETs a blob and checks that its bytes have the digest it is named by. */
  async blob(digest: string): Promise<Buffer> {
    const { body } = await this.get(`blobs/${digest}`);
    if (checkSha256(body, digest)) return body;
    throw new ResolveError(`blob ${digest} does not have the digest it is named by`);
  }

  private fetch(url: string, accept: string | undefined) {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    if (this.authorization) headers.authorization = this.authorization;
    return fetchBytes(url, { headers, ...this.options });
  }

  private async answer(header: string, url: string): Promise<string> {
    const { scheme, params } = parseChallenge(header);
    const basic = this.credentials
      ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString("base64")}`
      : undefined;
    if (scheme === "basic" && basic) return basic;
    if (scheme !== "bearer" || !params.realm) throw statusError(url, 401);
    const query = new URLSearchParams({ scope: `repository:${this.image.repository}:pull` });
    if (params.service) query.set("service", params.service);
    const tokenUrl = `${params.realm}?${query}`;
    const headers: Record<string, string> = basic ? { authorization: basic } : {};
    const response = await fetchBytes(tokenUrl, { headers, ...this.options });
    if (response.status !== 200) throw statusError(tokenUrl, response.status);
    const token = JSON.parse(response.body.toString("utf8")) as Record<string, unknown>;
    const value = token.token ?? token.access_token;
    if (typeof value !== "string") throw new ResolveError(`${tokenUrl} gave no token`);
    return `Bearer ${value}`;
  }
}

/** True when `bytes` hash to `digest` (`sha256:<hex>`); other algorithms are not checked. */
export function checkSha256(bytes: Uint8Array, digest: string): boolean {
  if (!digest.startsWith("sha256:")) return true;
  return createHash("sha256").update(bytes).digest("hex") === digest.slice("sha256:".length);
}

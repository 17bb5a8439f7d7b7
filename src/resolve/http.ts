import { createHash } from "node:crypto";
import { type ResolveContext, secretValue } from "./context.ts";
import { fetchOk } from "./fetch-bytes.ts";
import { paramOr, requiredParam, ResolveError, type ResolutionRequest } from "./request-key.ts";

/** A digest the fetched bytes must have: `sha256:<hex>` or `sha512:<hex>`. */
export interface Digest {
  algorithm: "sha256" | "sha512";
  hex: string;
}

/** What the http resolver fetches, from its params. */
export interface HttpSource {
  url: string;
  /** Basic auth: the user name, and the Secret and key holding the password. */
  auth: { username: string; secret: string; key: string } | undefined;
  digest: Digest | undefined;
}

const HEX_LENGTH: Record<Digest["algorithm"], number> = { sha256: 64, sha512: 128 };

/** Checks the params: an http(s) URL, username and password Secret together, a digest. */
export function parseHttpParams(request: ResolutionRequest): HttpSource {
  const url = requiredParam(request, "url");
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    throw new ResolveError(`url "${url}" must be an http or https URL`);
  const username = request.params["http-username"];
  const secret = request.params["http-password-secret"];
  if (Boolean(username) !== Boolean(secret))
    throw new ResolveError('"http-username" and "http-password-secret" go together');
  const key = paramOr(request, "http-password-secret-key", "password");
  const auth = username && secret ? { username, secret, key } : undefined;
  const digest = request.params.digest ? parseDigest(request.params.digest) : undefined;
  return { url, auth, digest };
}

/** Parses `<algorithm>:<hex>`, accepting only what Tekton accepts. */
export function parseDigest(text: string): Digest {
  const [algorithm, given, ...rest] = text.split(":");
  const hex = given?.toLowerCase();
  if (algorithm !== "sha256" && algorithm !== "sha512")
    throw new ResolveError(`digest "${text}" must start with sha256: or sha512:`);
  if (rest.length > 0 || !hex || !new RegExp(`^[0-9a-f]{${HEX_LENGTH[algorithm]}}$`).test(hex))
    throw new ResolveError(`digest "${text}" needs ${HEX_LENGTH[algorithm]} hex digits`);
  return { algorithm, hex };
}

/** Says what is wrong when `bytes` do not have `digest`; undefined when they do. */
export function digestMismatch(bytes: Uint8Array, digest: Digest): string | undefined {
  const actual = createHash(digest.algorithm).update(bytes).digest("hex");
  if (actual === digest.hex) return undefined;
  return `${digest.algorithm} digest is ${actual}, not ${digest.hex} as the digest param says`;
}

/** The Authorization header for basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** Fetches the URL, with basic auth from a Secret, and checks the digest. */
export async function resolveHttp(
  request: ResolutionRequest,
  ctx: ResolveContext,
): Promise<string> {
  const source = parseHttpParams(request);
  const headers: Record<string, string> = {};
  if (source.auth) {
    const password = secretValue(ctx, source.auth.secret, source.auth.key);
    headers.authorization = basicAuth(source.auth.username, password);
  }
  const body = await fetchOk(source.url, { headers, signal: ctx.signal, maxBytes: ctx.maxBytes });
  const mismatch = source.digest ? digestMismatch(body, source.digest) : undefined;
  if (mismatch) throw new ResolveError(mismatch);
  return body.toString("utf8");
}

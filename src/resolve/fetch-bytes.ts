import { ResolveError } from "./request-key.ts";

export interface FetchOptions {
  headers?: Record<string, string>;
  signal: AbortSignal;
  maxBytes: number;
}

export interface FetchedBytes {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** GETs a URL and reads its body up to `maxBytes`; any status is returned to the caller. */
export async function fetchBytes(url: string, options: FetchOptions): Promise<FetchedBytes> {
  let response: Response;
  try {
    response = await fetch(url, { headers: options.headers ?? {}, signal: options.signal });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw new ResolveError(`cannot reach ${url}: ${reasonOf(error)}`);
  }
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > options.maxBytes) {
    await response.body?.cancel();
    throw tooLarge(url, options.maxBytes);
  }
  return {
    status: response.status,
    headers: response.headers,
    body: await readLimited(response, url, options),
  };
}

/** Like fetchBytes, but any answer other than 200 is an error naming the URL and status. */
export async function fetchOk(url: string, options: FetchOptions): Promise<Buffer> {
  const response = await fetchBytes(url, options);
  if (response.status !== 200) throw statusError(url, response.status);
  return response.body;
}

/** The error for an unexpected HTTP status. */
export function statusError(url: string, status: number): ResolveError {
  const meaning: Record<number, string> = {
    401: "unauthorized",
    403: "forbidden",
    404: "not found",
  };
  const suffix = meaning[status] ? ` (${meaning[status]})` : "";
  return new ResolveError(`GET ${url} answered ${status}${suffix}`);
}

async function readLimited(response: Response, url: string, options: FetchOptions) {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body ?? []) {
      total += chunk.length;
      if (total > options.maxBytes) {
        await response.body?.cancel();
        throw tooLarge(url, options.maxBytes);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof ResolveError) throw error;
    if (options.signal.aborted) throw options.signal.reason;
    throw new ResolveError(`reading ${url} failed: ${reasonOf(error)}`);
  }
  return Buffer.concat(chunks);
}

/** The size-limit error, for every source a resolver reads. */
export function tooLarge(what: string, maxBytes: number): ResolveError {
  return new ResolveError(`${what} is larger than the limit of ${maxBytes / 1024 / 1024} MiB`);
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || code === "" || error.message.includes(code)) return error.message;
  return `${error.message} (${code})`;
}

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ResolveContext, secretValue } from "./context.ts";
import { tooLarge } from "./fetch-bytes.ts";
import { paramOr, requiredParam, ResolveError, type ResolutionRequest } from "./request-key.ts";

/** Where one file lives in git, from the git resolver's params. */
export interface GitSource {
  url: string;
  revision: string;
  pathInRepo: string;
  /** The Secret and key holding a token, sent as HTTP basic auth (user `git`). */
  token: { secret: string; key: string } | undefined;
}

/** Tekton's shipped `default-revision`; `github.com` is go-scm's default server. */
const DEFAULT_REVISION = "main";
const DEFAULT_SERVER = "https://github.com";
const COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** Checks the params and works out the clone URL: `url`, or `serverURL`/`org`/`repo`. */
export function parseGitParams(request: ResolutionRequest): GitSource {
  const { url, repo } = request.params;
  if (url && repo) throw new ResolveError('give either "url" or "repo" (with "org"), not both');
  if (!url && !repo) throw new ResolveError('missing required git resolver param "url" or "repo"');
  const pathInRepo = normalizePath(requiredParam(request, "pathInRepo"));
  return {
    url: url || repoUrl(request),
    revision: paramOr(request, "revision", DEFAULT_REVISION),
    pathInRepo,
    token: tokenOf(request),
  };
}

// LIMITATION: Tekton reads `org`/`repo` through the SCM provider's API (`scmType`); mallet
// clones `serverURL/org/repo.git` instead, which every forge serves too.
function repoUrl(request: ResolutionRequest): string {
  const org = requiredParam(request, "org");
  const repo = requiredParam(request, "repo");
  const server = paramOr(request, "serverURL", DEFAULT_SERVER).replace(/\/+$/, "");
  return `${server}/${org}/${repo.endsWith(".git") ? repo : `${repo}.git`}`;
}

// `gitToken` is the clone token and `token` the SCM API token; both end up as clone auth.
function tokenOf(request: ResolutionRequest): GitSource["token"] {
  const { gitToken, token } = request.params;
  if (gitToken) return { secret: gitToken, key: paramOr(request, "gitTokenKey", "token") };
  if (token) return { secret: token, key: paramOr(request, "tokenKey", "token") };
  return undefined;
}

function normalizePath(path: string): string {
  const clean = path.replace(/^(\.?\/)+/, "");
  if (clean.split("/").includes(".."))
    throw new ResolveError(`pathInRepo "${path}" must stay inside the repository`);
  return clean;
}

/** A full commit SHA names the same file forever; a branch or tag may move. */
export function isCommit(revision: string): boolean {
  return COMMIT.test(revision);
}

/** Fetches just the one revision, as the resolver's shallow clone does. */
export function shallowFetchArgs(dir: string, source: GitSource): string[] {
  return [
    "git",
    "-C",
    dir,
    "fetch",
    "--quiet",
    "--no-tags",
    "--depth",
    "1",
    "--",
    source.url,
    source.revision,
  ];
}

/** Fetches every branch and tag, for a commit the server will not hand out by itself. */
export function fullFetchArgs(dir: string, source: GitSource): string[] {
  const refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"];
  return ["git", "-C", dir, "fetch", "--quiet", "--no-tags", "--", source.url, ...refspecs];
}

/** Prints the file at `revision` (FETCH_HEAD after a shallow fetch); fails on a directory. */
export function catFileArgs(dir: string, revision: string, path: string): string[] {
  return ["git", "-C", dir, "cat-file", "blob", `${revision}:${path}`];
}

/** The environment for git: never prompt, and send the token as a header, not in argv. */
export function gitEnv(token: string | undefined): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true" };
  if (token === undefined) return env;
  const basic = Buffer.from(`git:${token}`).toString("base64");
  return {
    ...env,
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/** Reads one file of one revision through the `git` command, in a scratch repository. */
export async function resolveGit(request: ResolutionRequest, ctx: ResolveContext): Promise<string> {
  const source = parseGitParams(request);
  const token = source.token ? secretValue(ctx, source.token.secret, source.token.key) : undefined;
  const env = { ...process.env, ...gitEnv(token) };
  const dir = mkdtempSync(join(tmpdir(), "mallet-git-"));
  try {
    await runGit(["git", "init", "--quiet", "--bare", dir], ctx, env);
    let revision = "FETCH_HEAD";
    try {
      await runGit(shallowFetchArgs(dir, source), ctx, env);
    } catch (error) {
      if (!isCommit(source.revision)) throw error;
      await runGit(fullFetchArgs(dir, source), ctx, env);
      revision = source.revision;
    }
    const file = await runGit(catFileArgs(dir, revision, source.pathInRepo), ctx, env).catch(() => {
      throw new ResolveError(`"${source.pathInRepo}" is not a file at revision ${source.revision}`);
    });
    return file.toString("utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one git argv; resolves with its stdout, rejects with the last line git complained. */
function runGit(
  argv: readonly string[],
  ctx: ResolveContext,
  env: NodeJS.ProcessEnv,
): Promise<Buffer> {
  const [command, ...args] = argv;
  ctx.trace?.(argv);
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, args, {
      env,
      signal: ctx.signal,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > ctx.maxBytes) {
        child.kill();
        reject(tooLarge(`"${args.at(-1)}"`, ctx.maxBytes));
      } else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      if (ctx.signal.aborted) reject(ctx.signal.reason);
      else reject(new ResolveError(`cannot run git: ${error.message}`));
    });
    child.on("close", (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const lines = Buffer.concat(err).toString("utf8").trim().split("\n");
      const why = lines.at(-1) || `exit code ${code}`;
      const subcommand = args[0] === "-C" ? args[2] : args[0];
      reject(new ResolveError(`git ${subcommand} failed: ${why}`));
    });
  });
}

import type { Catalog, RefTarget } from "../core/catalog.ts";
import { formatDuration } from "../core/duration.ts";
import { formatLocation, isMalletError, MalletError } from "../core/errors.ts";
import type { DocPath, LoadedDocument } from "../core/load/parse-yaml.ts";
import type { Ref } from "../core/model/common.ts";
import type { PipelineSpec } from "../core/model/pipeline.ts";
import type { PipelineRunResource, TaskRunResource } from "../core/model/resources.ts";
import type { TaskSpec } from "../core/model/task.ts";
import { paramVars, resolveParams } from "../core/subst/params.ts";
import type { Vars } from "../core/subst/reference.ts";
import { parseBundleParams, isPinned, resolveBundle } from "./bundles.ts";
import { cacheMode, mayReuse, ResolveCache } from "./cache.ts";
import { resolveCluster } from "./cluster.ts";
import type { ResolveContext } from "./context.ts";
import { decodeAnswer } from "./decode-answer.ts";
import { isCommit, parseGitParams, resolveGit } from "./git.ts";
import { parseHttpParams, resolveHttp } from "./http.ts";
import { parseHubParams, resolveHub } from "./hub.ts";
import { expectKind, requestOrThrow, runParamVars } from "./lookup.ts";
import {
  describeRequest,
  type RefKind,
  ResolveError,
  type ResolutionRequest,
  requestKey,
} from "./request-key.ts";

export { defaultCacheDir } from "./cache.ts";

/** Tekton's global limit on one resolution request. */
export const RESOLUTION_TIMEOUT_MS = 60_000;
/** The largest document, blob or API answer a resolver reads. */
export const MAX_RESOLVED_BYTES = 10 * 1024 * 1024;

export interface ResolveOptions {
  /** Answer from the cache alone; what it lacks is reported, nothing is fetched. */
  offline: boolean;
  cacheDir: string;
  /** Stops resolution when the user stops mallet. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  env?: Readonly<Record<string, string | undefined>>;
  trace?: (argv: readonly string[]) => void;
}

/** One fetching resolver; `immutable` checks the params and says if the answer can change. */
interface RemoteResolver {
  fetch(request: ResolutionRequest, ctx: ResolveContext): Promise<string>;
  immutable(request: ResolutionRequest, env: ResolveContext["env"]): boolean;
}

const RESOLVERS: Record<string, RemoteResolver> = {
  git: { fetch: resolveGit, immutable: (r) => isCommit(parseGitParams(r).revision) },
  http: { fetch: resolveHttp, immutable: (r) => parseHttpParams(r).digest !== undefined },
  hub: {
    fetch: resolveHub,
    // A hub version may be published again, so only `cache: always` reuses a hub answer.
    immutable: (r, env) => {
      parseHubParams(r, env);
      return false;
    },
  },
  bundles: { fetch: resolveBundle, immutable: (r) => isPinned(parseBundleParams(r)) },
};

/** A ref and where it stands, so an error can point at it. */
interface Site {
  ref: Ref;
  kind: RefKind;
  doc: LoadedDocument;
  at: DocPath;
  vars?: Vars;
}

/**
 * Resolves every ref the runs reach through a resolver (pipelineRef, the taskRefs of tasks
 * and finally, the steps' refs of every Task reached) before any run starts, each request
 * once and all at the same time, and adds the answers to the catalog.
 */
export async function resolveRemoteRefs(
  runs: ReadonlyArray<TaskRunResource | PipelineRunResource>,
  catalog: Catalog,
  options: ResolveOptions,
): Promise<void> {
  const resolution = new Resolution(catalog, options);
  await Promise.all(runs.map((run) => resolution.run(run)));
  resolution.finish();
}

class Resolution {
  private readonly answers = new Map<string, Promise<RefTarget | undefined>>();
  private readonly walked = new Set<TaskSpec>();
  private readonly missing: string[] = [];
  private readonly errors: MalletError[] = [];
  private readonly stop = new AbortController();
  private readonly cache: ResolveCache;

  constructor(
    private readonly catalog: Catalog,
    private readonly options: ResolveOptions,
  ) {
    this.cache = new ResolveCache(options.cacheDir);
    options.signal?.addEventListener("abort", () => this.stop.abort(), { once: true });
  }

  async run(run: TaskRunResource | PipelineRunResource): Promise<void> {
    const vars = runParamVars(run.spec.params);
    const at = (...path: DocPath) => [...run.specPath, ...path];
    if (run.kind === "TaskRun") {
      if (run.spec.taskSpec) return this.task(run.spec.taskSpec, run.doc, at("taskSpec"));
      if (!run.spec.taskRef) return;
      const site: Site = { ref: run.spec.taskRef, kind: "Task", doc: run.doc, at: at("taskRef") };
      const found = await this.site({ ...site, vars });
      if (found?.kind === "Task") await this.task(found.spec, found.doc, found.specPath);
      return;
    }
    if (run.spec.pipelineSpec)
      return this.pipeline(run.spec.pipelineSpec, run, run.doc, at("pipelineSpec"));
    if (!run.spec.pipelineRef) return;
    const ref = run.spec.pipelineRef;
    const found = await this.site({
      ref,
      kind: "Pipeline",
      doc: run.doc,
      at: at("pipelineRef"),
      vars,
    });
    if (found?.kind === "Pipeline") await this.pipeline(found.spec, run, found.doc, found.specPath);
  }

  /** Says what went wrong: the first error, or everything `--offline` found missing. */
  finish(): void {
    if (this.errors[0]) throw this.errors[0];
    if (this.missing.length === 0) return;
    const list = this.missing.map((line) => `\n  ${line}`).join("");
    throw new MalletError(
      "RESOLUTION",
      `--offline: not in the cache (${this.options.cacheDir}):${list}`,
    );
  }

  // A pipeline's tasks name Tasks with the pipeline's params: `revision: $(params.rev)`.
  private async pipeline(
    spec: PipelineSpec,
    run: PipelineRunResource,
    doc: LoadedDocument,
    specPath: DocPath,
  ): Promise<void> {
    const { values, problems } = resolveParams(spec.params ?? [], run.spec.params ?? []);
    if (problems[0]) {
      // Said now as the run would say it, rather than as a ref naming an unknown param.
      const { code, message } = problems[0];
      this.errors.push(new MalletError(code, message, run.doc.locate([...run.specPath, "params"])));
      return;
    }
    const vars = paramVars(values);
    const entries = (["tasks", "finally"] as const).flatMap((field) =>
      (spec[field] ?? []).map((task, index) => ({ task, at: [...specPath, field, index] })),
    );
    await Promise.all(
      entries.map(async ({ task, at }) => {
        if (task.taskSpec) return this.task(task.taskSpec, doc, [...at, "taskSpec"]);
        if (!task.taskRef) return;
        const found = await this.site({
          ref: task.taskRef,
          kind: "Task",
          doc,
          at: [...at, "taskRef"],
          vars,
        });
        if (found?.kind === "Task") await this.task(found.spec, found.doc, found.specPath);
      }),
    );
  }

  private async task(spec: TaskSpec, doc: LoadedDocument, specPath: DocPath): Promise<void> {
    if (this.walked.has(spec)) return;
    this.walked.add(spec);
    await Promise.all(
      spec.steps.map((step, index) =>
        step.ref
          ? this.site({
              ref: step.ref,
              kind: "StepAction",
              doc,
              at: [...specPath, "steps", index, "ref"],
            })
          : undefined,
      ),
    );
  }

  /** Finds what one ref names; undefined when it is unknown (the run says so) or failed. */
  private async site(site: Site): Promise<RefTarget | undefined> {
    const { ref, kind } = site;
    if (!ref.resolver) {
      const name = ref.name ?? "";
      if (kind === "Task") return this.catalog.task(name);
      return kind === "Pipeline" ? this.catalog.pipeline(name) : this.catalog.stepAction(name);
    }
    let request: ResolutionRequest;
    try {
      request = requestOrThrow(ref, site.vars);
    } catch (error) {
      this.fail(error, site);
      return undefined;
    }
    try {
      const found =
        request.resolver === "cluster"
          ? resolveCluster(request, this.catalog)
          : await this.answer(request, site);
      if (!found) return undefined;
      this.catalog.addResolvedRef(ref, found);
      return expectKind(found, kind);
    } catch (error) {
      const named = error instanceof ResolveError && error.named;
      this.fail(error, site, named ? "" : `${describeRequest(request)}: `);
      return undefined;
    }
  }

  private answer(request: ResolutionRequest, site: Site): Promise<RefTarget | undefined> {
    const key = requestKey(request);
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.resolve(request, site).then((found) => {
        if (found) this.catalog.addRemote(key, found);
        return found;
      });
      this.answers.set(key, answer);
    }
    return answer;
  }

  // Online, a cached answer stands in only for what cannot change (or with `cache: always`);
  // offline, the cache is all there is. Only answers that decode are cached.
  private async resolve(request: ResolutionRequest, site: Site): Promise<RefTarget | undefined> {
    const resolver = RESOLVERS[request.resolver];
    if (!resolver)
      throw new ResolveError("mallet knows the git, http, hub, bundles and cluster resolvers");
    const env = this.options.env ?? {};
    const immutable = resolver.immutable(request, env);
    const mode = cacheMode(request);
    const cached = mode === "never" ? undefined : this.cache.read(request);
    if (this.options.offline) {
      if (cached !== undefined) return decodeAnswer(cached, request);
      const why = mode === "never" ? " (cache: never)" : "";
      this.missing.push(
        `${formatLocation(site.doc.locate(site.at))}: ${describeRequest(request)}${why}`,
      );
      return undefined;
    }
    if (cached !== undefined && mayReuse(mode, immutable)) return decodeAnswer(cached, request);
    const text = await this.fetch(resolver, request);
    const found = decodeAnswer(text, request);
    if (mode !== "never") this.cache.write(request, text);
    return found;
  }

  private async fetch(resolver: RemoteResolver, request: ResolutionRequest): Promise<string> {
    const timeoutMs = this.options.timeoutMs ?? RESOLUTION_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const ctx: ResolveContext = {
      signal: AbortSignal.any([this.stop.signal, timeout]),
      maxBytes: this.options.maxBytes ?? MAX_RESOLVED_BYTES,
      secret: (name) => this.catalog.data("Secret", name)?.data,
      env: this.options.env ?? {},
      trace: this.options.trace,
    };
    try {
      return await resolver.fetch(request, ctx);
    } catch (error) {
      if (timeout.aborted)
        throw new ResolveError(`resolution took longer than ${formatDuration(timeoutMs)}`);
      if (this.stop.signal.aborted) throw new ResolveError("resolution was stopped");
      throw error;
    }
  }

  // The first failure stops the others: the run cannot start anyway.
  private fail(error: unknown, site: Site, prefix = ""): void {
    this.stop.abort();
    if (isMalletError(error)) this.errors.push(error);
    else if (error instanceof ResolveError)
      this.errors.push(
        new MalletError("RESOLUTION", `${prefix}${error.message}`, site.doc.locate(site.at)),
      );
    else throw error;
  }
}

import type { ResolveContext } from "./context.ts";
import { fetchOk } from "./fetch-bytes.ts";
import { paramOr, requiredParam, ResolveError, type ResolutionRequest } from "./request-key.ts";
import { isRange, parseConstraints, pickVersion } from "./version-constraint.ts";

export type HubType = "artifact" | "tekton";
export type HubKind = "task" | "pipeline" | "stepaction";

/** What to ask which hub for, from the hub resolver's params and Tekton's defaults. */
export interface HubSource {
  type: HubType;
  kind: HubKind;
  catalog: string;
  name: string;
  version: string;
  /** The hub API's base URL, without a trailing slash. */
  baseUrl: string;
}

export const DEFAULT_ARTIFACT_HUB = "https://artifacthub.io";
const KINDS: readonly string[] = ["task", "pipeline", "stepaction"];

/** Checks the params and fills in Tekton's defaults (`artifact`, `task`, default catalogs). */
export function parseHubParams(
  request: ResolutionRequest,
  env: Readonly<Record<string, string | undefined>>,
): HubSource {
  const type = paramOr(request, "type", "artifact");
  if (type !== "artifact" && type !== "tekton")
    throw new ResolveError(`type param must be artifact or tekton, not "${type}"`);
  const kind = paramOr(request, "kind", "task");
  if (!KINDS.includes(kind))
    throw new ResolveError(`kind param must be one of ${KINDS.join(", ")}, not "${kind}"`);
  const name = requiredParam(request, "name");
  const version = requiredParam(request, "version");
  const catalog = request.params.catalog || defaultCatalog(type, kind as HubKind);
  return {
    type,
    kind: kind as HubKind,
    catalog,
    name,
    version,
    baseUrl: baseUrl(request, type, env),
  };
}

function defaultCatalog(type: HubType, kind: HubKind): string {
  if (type === "tekton") return "Tekton";
  if (kind === "task") return "tekton-catalog-tasks";
  if (kind === "pipeline") return "tekton-catalog-pipelines";
  throw new ResolveError('kind stepaction has no default catalog: give the "catalog" param');
}

// The url param wins over the environment, which wins over the public Artifact Hub.
function baseUrl(request: ResolutionRequest, type: HubType, env: ResolveContext["env"]): string {
  const fromEnv = type === "artifact" ? env.ARTIFACT_HUB_API : env.TEKTON_HUB_API;
  const url = request.params.url || fromEnv || (type === "artifact" ? DEFAULT_ARTIFACT_HUB : "");
  if (!url)
    throw new ResolveError(
      'type tekton needs the "url" param or TEKTON_HUB_API in the environment',
    );
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    throw new ResolveError(`hub URL "${url}" must be an http or https URL`);
  return url.replace(/\/+$/, "");
}

/** Artifact Hub wants `x.y.z`, Tekton Hub `x.y`: a version is rewritten for its hub. */
export function hubVersion(version: string, type: HubType): string {
  const parts = version.split(".");
  if (type === "artifact" && parts.length === 2) return `${version}.0`;
  if (type === "tekton" && parts.length > 2) return parts.slice(0, 2).join(".");
  return version;
}

/** The API URL answering one version's YAML. */
export function hubYamlUrl(source: HubSource, version: string): string {
  const { baseUrl: base, kind, catalog, name } = source;
  const v = encodeURIComponent(hubVersion(version, source.type));
  const [c, n] = [encodeURIComponent(catalog), encodeURIComponent(name)];
  return source.type === "artifact"
    ? `${base}/api/v1/packages/tekton-${kind}/${c}/${n}/${v}`
    : `${base}/v1/resource/${c}/${kind}/${n}/${v}/yaml`;
}

/** The API URL listing a resource's versions, for a version constraint. */
export function hubVersionsUrl(source: HubSource): string {
  const { baseUrl: base, kind } = source;
  const [c, n] = [encodeURIComponent(source.catalog), encodeURIComponent(source.name)];
  return source.type === "artifact"
    ? `${base}/api/v1/packages/tekton-${kind}/${c}/${n}`
    : `${base}/v1/resource/${c}/${kind}/${n}`;
}

/** Takes the YAML out of a hub's answer: `data.manifestRaw` or Tekton Hub's `data.yaml`. */
export function readHubYaml(type: HubType, answer: unknown): string {
  const data = (answer as { data?: Record<string, unknown> } | null)?.data;
  const yaml = type === "artifact" ? data?.manifestRaw : data?.yaml;
  if (typeof yaml !== "string" || yaml === "")
    throw new ResolveError(
      `the hub's answer holds no ${type === "artifact" ? "data.manifestRaw" : "data.yaml"}`,
    );
  return yaml;
}

/** Lists the versions in a hub's answer about a resource. */
export function readHubVersions(type: HubType, answer: unknown): string[] {
  const list =
    type === "artifact"
      ? (answer as { available_versions?: unknown } | null)?.available_versions
      : (answer as { data?: { versions?: unknown } } | null)?.data?.versions;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: { version?: unknown; prerelease?: unknown }) =>
    typeof item?.version === "string" && item.prerelease !== true ? [item.version] : [],
  );
}

/** Asks the hub's REST API for the resource, choosing a version first for a constraint. */
export async function resolveHub(request: ResolutionRequest, ctx: ResolveContext): Promise<string> {
  const source = parseHubParams(request, ctx.env);
  const version = isRange(source.version) ? await chooseVersion(source, ctx) : source.version;
  const answer = await fetchJson(hubYamlUrl(source, version), ctx);
  return readHubYaml(source.type, answer);
}

async function chooseVersion(source: HubSource, ctx: ResolveContext): Promise<string> {
  const constraints = parseConstraints(source.version);
  if (!constraints) throw new ResolveError(`version "${source.version}" is no version constraint`);
  const versions = readHubVersions(source.type, await fetchJson(hubVersionsUrl(source), ctx));
  const chosen = pickVersion(versions, constraints);
  if (!chosen) throw new ResolveError(`no version of ${source.name} satisfies "${source.version}"`);
  return chosen;
}

async function fetchJson(url: string, ctx: ResolveContext): Promise<unknown> {
  const body = await fetchOk(url, { signal: ctx.signal, maxBytes: ctx.maxBytes });
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ResolveError(`GET ${url} did not answer JSON`);
  }
}

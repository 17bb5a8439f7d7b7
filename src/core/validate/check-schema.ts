import * as v from "valibot";
import { convertV1beta1 } from "../load/convert-v1beta1.ts";
import { describeIssue } from "../load/decode.ts";
import type { DocPath, LoadedDocument } from "../load/parse-yaml.ts";
import { ObjectMetaSchema } from "../model/common.ts";
import { SPEC_SCHEMAS, TEKTON_API_VERSIONS, type TektonKind } from "../model/resources.ts";
import type { Scope } from "./diagnostic.ts";
import { generateNameProblem, resourceNameProblem } from "./names.ts";
import type { RuleName } from "./rules.ts";

/** The identity of a Tekton document, read before its spec is checked. */
export interface TektonHeader {
  kind: TektonKind;
  apiVersion: string;
  /** The name, or "" for a `generateName` document (nothing can refer to it). */
  name: string;
}

const TOP_LEVEL_FIELDS = new Set(["apiVersion", "kind", "metadata", "spec", "status"]);

/** The kind and name of a Tekton document; undefined for anything else, which is skipped. */
export function readHeader(data: unknown): TektonHeader | undefined {
  if (!isObject(data)) return undefined;
  const { apiVersion, kind, metadata } = data;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return undefined;
  if (!apiVersion.startsWith("tekton.dev/") || !Object.hasOwn(SPEC_SCHEMAS, kind)) return undefined;
  const name = isObject(metadata) && typeof metadata.name === "string" ? metadata.name : "";
  return { kind: kind as TektonKind, apiVersion, name };
}

/** Checks what surrounds the spec: apiVersion, top-level fields, metadata and names. */
export function checkHeader(header: TektonHeader, doc: LoadedDocument, scope: Scope): void {
  const versions = TEKTON_API_VERSIONS[header.kind];
  if (!versions.includes(header.apiVersion)) {
    const use = versions.join(" or ");
    scope.report(
      "schema",
      ["apiVersion"],
      `${header.kind} is not served by ${header.apiVersion}; use ${use}`,
    );
  }
  const data = doc.data as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    if (!TOP_LEVEL_FIELDS.has(key)) scope.report("schema", [key], `unknown field "${key}"`);
  }
  const meta = v.safeParse(ObjectMetaSchema, data.metadata ?? {});
  if (!meta.success) reportIssues(meta.issues, ["metadata"], scope);
  checkNames(data.metadata, header.kind, scope);
}

function checkNames(metadata: unknown, kind: string, scope: Scope): void {
  const meta = isObject(metadata) ? metadata : {};
  const { name, generateName } = meta;
  if (typeof name === "string") {
    const problem = resourceNameProblem(name);
    if (problem) scope.report("name-format", ["metadata", "name"], problem);
  } else if (typeof generateName === "string") {
    const problem = generateNameProblem(generateName);
    if (problem) scope.report("name-format", ["metadata", "generateName"], problem);
  } else {
    const at = isObject(metadata) ? ["metadata"] : ["kind"];
    scope.report("schema", at, `${kind} needs metadata.name or metadata.generateName`);
  }
}

/** Validates the spec against its schema; the typed spec when it passes, else undefined. */
export function checkSpecSchema<K extends TektonKind>(
  kind: K,
  apiVersion: string,
  raw: unknown,
  scope: Scope,
): v.InferOutput<(typeof SPEC_SCHEMAS)[K]> | undefined {
  const spec = apiVersion.endsWith("/v1beta1") ? convertV1beta1(kind, raw ?? {}) : (raw ?? {});
  const result = v.safeParse(SPEC_SCHEMAS[kind], spec);
  if (result.success) return result.output as v.InferOutput<(typeof SPEC_SCHEMAS)[K]>;
  reportIssues(result.issues, ["spec"], scope);
  return undefined;
}

function reportIssues(issues: readonly v.BaseIssue<unknown>[], at: DocPath, scope: Scope): void {
  const seen = new Set<string>();
  for (const found of issues) {
    const { issue, keys } = deepest(found, keysOf(found));
    const path = [...at, ...keys];
    const key = path.join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    scope.report(ruleForIssue(path), path, describeIssue(issue, path));
  }
}

// A union (a param value may be a string, a list or a map) fails as a whole; the branch that
// got furthest into the value says best what is wrong. Branch paths are relative to the union.
function deepest(
  issue: v.BaseIssue<unknown>,
  keys: DocPath,
): { issue: v.BaseIssue<unknown>; keys: DocPath } {
  let best = { issue, keys };
  for (const sub of issue.issues ?? []) {
    const candidate = deepest(sub, [...keys, ...keysOf(sub)]);
    if (candidate.keys.length > best.keys.length) best = candidate;
  }
  return best;
}

function keysOf(issue: v.BaseIssue<unknown>): DocPath {
  return (issue.path ?? []).map((item) => item.key as string | number);
}

// A few schema checks have a more precise rule than "schema": a when operator, a param type.
function ruleForIssue(path: DocPath): RuleName {
  const [last, before] = [path.at(-1), path.at(-3)];
  if (last === "operator" && before === "when") return "when-operator";
  if (last !== "type") return "schema";
  if (before === "params") return "param-type";
  if (before === "results") return "result-type";
  if (before === "properties") {
    return path.at(-5) === "results" ? "result-type" : "object-param-properties";
  }
  return "schema";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

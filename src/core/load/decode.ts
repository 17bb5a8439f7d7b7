import * as v from "valibot";
import { MalletError } from "../errors.ts";
import {
  type Resource,
  SPEC_SCHEMAS,
  TEKTON_API_VERSIONS,
  type TektonKind,
  TopLevelSchema,
} from "../model/resources.ts";
import { documentSafetyProblems } from "../task/safety.ts";
import { convertV1beta1 } from "./convert-v1beta1.ts";
import type { DocPath, LoadedDocument } from "./parse-yaml.ts";

const DATA_KINDS = new Set(["ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim"]);
const TOP_LEVEL_FIELDS = new Set(["apiVersion", "kind", "metadata", "spec", "status"]);

/** Turns a loaded document into a typed resource; `undefined` for documents Mallet ignores. */
export function decodeDocument(doc: LoadedDocument): Resource | undefined {
  const top = v.safeParse(TopLevelSchema, doc.data);
  if (!top.success) {
    // Only a document that means to be Tekton's is wrong; any other kind is not Mallet's.
    if (looksLikeTekton(doc.data)) parseSpec(TopLevelSchema, doc.data, doc, []);
    return undefined;
  }
  const { kind, apiVersion } = top.output;
  const metadata = top.output.metadata ?? {};
  const name = metadata.name ?? metadata.generateName ?? "";
  const base = { apiVersion, name, metadata, doc, specPath: ["spec"] as DocPath };
  if (DATA_KINDS.has(kind)) return decodeCoreKind(kind, base, doc.data as Record<string, unknown>);
  if (!isTektonKind(kind) || !apiVersion.startsWith("tekton.dev/")) return undefined;

  checkTektonTop(kind, apiVersion, doc, name);
  const raw = (doc.data as Record<string, unknown>).spec ?? {};
  const spec = apiVersion.endsWith("v1beta1") ? convertV1beta1(kind, raw) : raw;
  const parsed = parseSpec(SPEC_SCHEMAS[kind], spec, doc, ["spec"]);
  const unsafe = documentSafetyProblems(doc.data)[0];
  if (unsafe) throw new MalletError("INVALID_SPEC", unsafe.message, doc.locate(unsafe.path));
  return { kind, ...base, spec: parsed } as Resource;
}

function looksLikeTekton(data: unknown): boolean {
  if (!data || typeof data !== "object") return false;
  const { apiVersion, kind } = data as Record<string, unknown>;
  return (
    (typeof apiVersion === "string" && apiVersion.startsWith("tekton.dev/")) ||
    (typeof kind === "string" && isTektonKind(kind))
  );
}

function isTektonKind(kind: string): kind is TektonKind {
  return Object.hasOwn(SPEC_SCHEMAS, kind);
}

function checkTektonTop(kind: TektonKind, apiVersion: string, doc: LoadedDocument, name: string) {
  if (!TEKTON_API_VERSIONS[kind].includes(apiVersion)) {
    throw new MalletError(
      "SCHEMA",
      `${kind} does not exist in ${apiVersion} (use ${TEKTON_API_VERSIONS[kind].join(" or ")})`,
      doc.locate(["apiVersion"]),
    );
  }
  for (const key of Object.keys(doc.data as object)) {
    if (!TOP_LEVEL_FIELDS.has(key)) {
      throw new MalletError("SCHEMA", `unknown field "${key}"`, doc.locate([key]));
    }
  }
  if (!name) {
    throw new MalletError(
      "SCHEMA",
      `${kind} needs metadata.name or metadata.generateName`,
      doc.locate(["metadata"]),
    );
  }
}

/** Validates `data` against `schema`, reporting the first problem at its source position. */
export function parseSpec<S extends v.GenericSchema>(
  schema: S,
  data: unknown,
  doc: LoadedDocument,
  at: DocPath,
): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = [...at, ...(issue.path ?? []).map((item) => item.key as string | number)];
  // A list where a mapping belongs reads as unknown fields "0", "1"...: say what it is.
  if (issue.expected === "never" && Array.isArray(issue.path?.at(-1)?.input)) {
    const parent = path.slice(0, -1);
    const message = `${parent.join(".")}: expected Object, got Array`;
    throw new MalletError("SCHEMA", message, doc.locate(parent));
  }
  throw new MalletError("SCHEMA", describeIssue(issue, path), doc.locate(path));
}

/** Says what is wrong with one valibot issue at `path`, as one line. */
export function describeIssue(issue: v.BaseIssue<unknown>, path: DocPath): string {
  const where = path.join(".");
  if (issue.expected === "never") return `unknown field "${where}"`;
  if (issue.kind === "validation") return `${where}: ${issue.message}`;
  if (issue.received === "undefined") return `missing field "${where}"`;
  return `${where}: expected ${issue.expected ?? "a valid value"}, got ${issue.received}`;
}

function decodeCoreKind(
  kind: string,
  base: Omit<Resource, "kind" | "spec">,
  data: Record<string, unknown>,
): Resource {
  if (kind === "ConfigMap" || kind === "Secret") {
    return { ...base, kind, data: decodeData(kind, data), type: asString(data.type) };
  }
  if (kind === "ServiceAccount") {
    const secrets = Array.isArray(data.secrets) ? data.secrets : [];
    const names = secrets.map((s) => asString((s as { name?: unknown })?.name)).filter(Boolean);
    return { ...base, kind, secrets: names as string[] };
  }
  return { ...base, kind: "PersistentVolumeClaim" };
}

function decodeData(kind: string, data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const encoded = (data.data ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(encoded)) {
    out[key] =
      kind === "Secret" ? Buffer.from(String(value), "base64").toString("utf8") : String(value);
  }
  if (kind === "Secret") {
    for (const [key, value] of Object.entries((data.stringData ?? {}) as Record<string, unknown>)) {
      out[key] = String(value);
    }
  }
  return out;
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

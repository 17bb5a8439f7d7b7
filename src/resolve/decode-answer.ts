import type { RefTarget } from "../core/catalog.ts";
import { formatError, isMalletError } from "../core/errors.ts";
import { decodeDocument } from "../core/load/decode.ts";
import { type LoadedDocument, parseYamlDocuments } from "../core/load/parse-yaml.ts";
import { describeRequest, ResolveError, type ResolutionRequest } from "./request-key.ts";

/**
 * Decodes a resolver's answer like a local file. Its own errors point into the answer, which
 * is named by the resolver and params: `git resolver (url=..., ...):4:1: unknown field`.
 */
export function decodeAnswer(text: string, request: ResolutionRequest): RefTarget {
  let resource: ReturnType<typeof decodeDocument>;
  try {
    const docs = parseYamlDocuments(text, describeRequest(request));
    if (docs.length !== 1)
      throw new ResolveError(`answered ${docs.length} documents; a resolver answers with one`);
    resource = decodeDocument(docs[0] as LoadedDocument);
  } catch (error) {
    if (isMalletError(error)) throw new ResolveError(formatError(error), true);
    throw error;
  }
  if (resource?.kind === "Task" || resource?.kind === "Pipeline" || resource?.kind === "StepAction")
    return resource;
  const what = resource ? `a ${resource.kind}` : "no Tekton document";
  throw new ResolveError(`answered ${what}; a Task, Pipeline or StepAction is expected`);
}

import { decodeDocument } from "../core/load/decode.ts";
import { parseYamlDocuments } from "../core/load/parse-yaml.ts";
import type { Resource } from "../core/model/resources.ts";
import { readSources, type Source } from "./read-files.ts";

export { readSources, type Source } from "./read-files.ts";

/** Decodes every Tekton and data document of the given sources. */
export function resourcesFrom(sources: readonly Source[]): Resource[] {
  const resources: Resource[] = [];
  for (const source of sources) {
    for (const doc of parseYamlDocuments(source.text, source.file)) {
      const resource = decodeDocument(doc);
      if (resource) resources.push(resource);
    }
  }
  return resources;
}

/** Loads and decodes every document of the given files. */
export function loadResources(paths: readonly string[]): Resource[] {
  return resourcesFrom(readSources(paths));
}

import { existsSync, readFileSync } from "node:fs";
import { MalletError } from "../core/errors.ts";
import { buildImageMap } from "../core/image-map.ts";
import { parseYamlDocuments } from "../core/load/parse-yaml.ts";

/** Reads `--image-map FILE` (a YAML map of repository to image) and `--image from=to` flags. */
export function loadImageMap(
  files: readonly string[],
  pairs: readonly string[],
): Map<string, string> {
  const entries: Array<[string, string]> = [];
  for (const file of files) {
    if (!existsSync(file)) throw new MalletError("USAGE", `--image-map ${file}: no such file`);
    const [doc] = parseYamlDocuments(readFileSync(file, "utf8"), file);
    const data = doc?.data;
    if (!data || typeof data !== "object" || Array.isArray(data)) {
      throw new MalletError("INPUT", "an image map is a YAML mapping of repository: image", {
        file,
        line: 1,
        col: 1,
      });
    }
    for (const [from, to] of Object.entries(data)) entries.push([from, String(to)]);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new MalletError("USAGE", `--image ${pair}: expected repository=image`);
    entries.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return buildImageMap(entries);
}

import { stringify } from "yaml";
import { MalletError } from "../core/errors.ts";
import { decodeDocument } from "../core/load/decode.ts";
import { parseYamlDocuments } from "../core/load/parse-yaml.ts";
import type { Resource } from "../core/model/resources.ts";

/**
 * Turns `--secret NAME/KEY=VALUE` flags into Secret documents, as if they were in the
 * input: steps read them with secretKeyRef, envFrom or a secret workspace, and every
 * output masks their values.
 */
export function secretResources(flags: readonly string[]): Resource[] {
  const secrets = new Map<string, Record<string, string>>();
  for (const flag of flags) {
    const { name, key, value } = parseSecretFlag(flag);
    secrets.set(name, { ...secrets.get(name), [key]: value });
  }
  return [...secrets].flatMap(([name, stringData]) => {
    const text = stringify({ apiVersion: "v1", kind: "Secret", metadata: { name }, stringData });
    return parseYamlDocuments(text, "--secret").flatMap((doc) => decodeDocument(doc) ?? []);
  });
}

function parseSecretFlag(flag: string): { name: string; key: string; value: string } {
  const eq = flag.indexOf("=");
  const slash = flag.indexOf("/");
  if (eq <= 0 || slash <= 0 || slash > eq - 2) {
    throw new MalletError(
      "USAGE",
      `--secret ${flag.slice(0, Math.max(0, eq))}=...: expected NAME/KEY=VALUE`,
    );
  }
  return { name: flag.slice(0, slash), key: flag.slice(slash + 1, eq), value: flag.slice(eq + 1) };
}

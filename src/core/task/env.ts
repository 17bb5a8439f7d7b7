import type { EnvFrom, EnvVar } from "../model/step.ts";
import type { DataLookup } from "./volumes.ts";
import { VolumeError } from "./volumes.ts";

type Obj = Record<string, unknown>;

/** Resolves `envFrom` then `env` (with `valueFrom`) into ordered pairs; later names win. */
export function resolveEnv(
  env: readonly EnvVar[] | undefined,
  envFrom: readonly EnvFrom[] | undefined,
  lookup: DataLookup,
  fields: Record<string, string>,
): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const source of envFrom ?? []) {
    for (const [key, value] of Object.entries(envFromData(source, lookup))) {
      out.set(`${source.prefix ?? ""}${key}`, value);
    }
  }
  for (const item of env ?? []) {
    const value = item.valueFrom
      ? valueFrom(item.name, item.valueFrom, lookup, fields)
      : item.value;
    if (value !== undefined) out.set(item.name, expandKubernetesVars(value, out));
  }
  return [...out];
}

function envFromData(source: EnvFrom, lookup: DataLookup): Record<string, string> {
  const ref = source.configMapRef ?? source.secretRef;
  if (!ref) return {};
  const kind = source.configMapRef ? "ConfigMap" : "Secret";
  const data = lookup(kind, ref.name);
  if (data) return data;
  if (ref.optional) return {};
  throw new VolumeError(`envFrom: ${kind} "${ref.name}" was not found among the documents given`);
}

function valueFrom(name: string, source: Obj, lookup: DataLookup, fields: Record<string, string>) {
  const configMap = source.configMapKeyRef as Obj | undefined;
  const secret = source.secretKeyRef as Obj | undefined;
  const ref = configMap ?? secret;
  if (ref) {
    const kind = configMap ? "ConfigMap" : "Secret";
    const value = lookup(kind, String(ref.name))?.[String(ref.key)];
    if (value !== undefined || ref.optional === true) return value;
    throw new VolumeError(
      `env "${name}": ${kind} "${String(ref.name)}" has no key "${String(ref.key)}"`,
    );
  }
  const field = source.fieldRef as Obj | undefined;
  if (field) return fields[String(field.fieldPath)] ?? "";
  throw new VolumeError(
    `env "${name}": valueFrom supports configMapKeyRef, secretKeyRef and fieldRef`,
  );
}

/** Kubernetes expands `$(VAR)` from the container's env in command, args and env; `$$` escapes. */
export function expandKubernetesVars(text: string, env: ReadonlyMap<string, string>): string {
  if (!text.includes("$")) return text;
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name?: string) => {
    if (match === "$$") return "$";
    const value = name === undefined ? undefined : env.get(name);
    return value ?? match;
  });
}

import type { WorkspaceBinding } from "../model/runs.ts";

/** A file a ConfigMap, Secret or projected volume puts into a directory. */
export interface FileEntry {
  path: string;
  content: string;
  mode: number | undefined;
}

/** Where a volume's content comes from; the runner turns each into a host directory. */
export type VolumeSource =
  | { type: "emptyDir" }
  | { type: "host"; path: string }
  | { type: "claim"; claim: string }
  | { type: "files"; files: FileEntry[] };

/** Reads a ConfigMap's or Secret's data from the documents given to the run. */
export type DataLookup = (
  kind: "ConfigMap" | "Secret",
  name: string,
) => Record<string, string> | undefined;

export class VolumeError extends Error {}

type Obj = Record<string, unknown>;

/** Maps a run's workspace binding to a volume source. */
export function workspaceSource(binding: WorkspaceBinding, lookup: DataLookup): VolumeSource {
  if (binding.hostPath) return { type: "host", path: String(binding.hostPath.path ?? "") };
  if (binding.persistentVolumeClaim) {
    return { type: "claim", claim: String(binding.persistentVolumeClaim.claimName ?? "") };
  }
  if (binding.emptyDir || binding.volumeClaimTemplate) return { type: "emptyDir" };
  if (binding.configMap) return filesFrom("ConfigMap", binding.configMap, lookup);
  if (binding.secret) return filesFrom("Secret", binding.secret, lookup);
  if (binding.projected) return projected(binding.projected, lookup);
  throw new VolumeError(`workspace "${binding.name}" has no volume source Mallet can provide`);
}

/** Maps a Task's `volumes` entry (a Kubernetes Volume) to a volume source. */
export function volumeSource(volume: Obj, lookup: DataLookup): VolumeSource {
  if (isObj(volume.emptyDir)) return { type: "emptyDir" };
  if (isObj(volume.hostPath)) return { type: "host", path: String(volume.hostPath.path ?? "") };
  if (isObj(volume.persistentVolumeClaim)) {
    return { type: "claim", claim: String(volume.persistentVolumeClaim.claimName ?? "") };
  }
  if (isObj(volume.configMap)) return filesFrom("ConfigMap", volume.configMap, lookup);
  if (isObj(volume.secret)) return filesFrom("Secret", volume.secret, lookup);
  if (isObj(volume.projected)) return projected(volume.projected, lookup);
  throw new VolumeError(`volume "${String(volume.name)}" has no source Mallet can provide`);
}

function filesFrom(kind: "ConfigMap" | "Secret", source: Obj, lookup: DataLookup): VolumeSource {
  return { type: "files", files: projectData(kind, source, lookup) };
}

function projectData(kind: "ConfigMap" | "Secret", source: Obj, lookup: DataLookup): FileEntry[] {
  const name = String(kind === "Secret" ? (source.secretName ?? source.name) : source.name);
  const data = lookup(kind, name);
  if (!data) {
    if (source.optional === true) return [];
    throw new VolumeError(`${kind} "${name}" was not found among the documents given`);
  }
  const mode = typeof source.defaultMode === "number" ? source.defaultMode : undefined;
  const items = Array.isArray(source.items) ? (source.items as Obj[]) : undefined;
  if (!items) return Object.entries(data).map(([path, content]) => ({ path, content, mode }));
  return items.map((item) => {
    const key = String(item.key);
    const content = data[key];
    if (content === undefined) throw new VolumeError(`${kind} "${name}" has no key "${key}"`);
    const itemMode = typeof item.mode === "number" ? item.mode : mode;
    return { path: String(item.path ?? key), content, mode: itemMode };
  });
}

function projected(source: Obj, lookup: DataLookup): VolumeSource {
  const files: FileEntry[] = [];
  const sources = Array.isArray(source.sources) ? (source.sources as Obj[]) : [];
  for (const entry of sources) {
    if (isObj(entry.configMap)) files.push(...projectData("ConfigMap", entry.configMap, lookup));
    else if (isObj(entry.secret)) files.push(...projectData("Secret", entry.secret, lookup));
    else throw new VolumeError("projected volumes support configMap and secret sources only");
  }
  return { type: "files", files };
}

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

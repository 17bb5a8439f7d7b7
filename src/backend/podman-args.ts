import type { ContainerSpec } from "./engine.ts";

/** argv builders for the podman CLI; each returns the command without running it. */
export const podmanArgs = {
  imageExists: (image: string) => ["image", "exists", image],
  pull: (image: string) => ["pull", "--quiet", image],
  inspectImage: (image: string) => ["image", "inspect", "--format", "{{json .Config}}", image],
  createPod: (name: string, hostname: string, labels: Record<string, string>) => [
    "pod",
    "create",
    "--name",
    name,
    "--hostname",
    hostname,
    ...labelFlags(labels),
  ],
  removePod: (name: string) => ["pod", "rm", "--force", "--time", "0", "--ignore", name],
  createContainer: (spec: ContainerSpec) => ["create", "--pod", spec.pod, ...containerFlags(spec)],
  startAttached: (name: string) => ["start", "--attach", name],
  startDetached: (name: string) => ["start", name],
  copyInto: (source: string, name: string, path: string) => ["cp", source, `${name}:${path}`],
  exec: (name: string, argv: readonly string[]) => ["exec", name, ...argv],
  stop: (name: string) => ["stop", "--time", "0", "--ignore", name],
  removeContainer: (name: string) => ["rm", "--force", "--time", "0", "--ignore", name],
  listPods: (filter: string) => ["pod", "ps", "--quiet", "--filter", `label=${filter}`],
  listContainers: (filter: string) => ["ps", "--all", "--quiet", "--filter", `label=${filter}`],
  listVolumes: (filter: string) => ["volume", "ls", "--quiet", "--filter", `label=${filter}`],
};

/** Flags shared by podman and docker for `create`: name, labels, env, mounts, entrypoint. */
export function containerFlags(spec: ContainerSpec): string[] {
  const flags = ["--name", spec.name, ...labelFlags(spec.labels)];
  for (const [key, value] of spec.env) flags.push("--env", `${key}=${value}`);
  for (const mount of spec.mounts) {
    const options = mount.readOnly ? ",readonly" : "";
    flags.push("--mount", `type=bind,source=${mount.source},destination=${mount.target}${options}`);
  }
  if (spec.workingDir) flags.push("--workdir", spec.workingDir);
  if (spec.user) flags.push("--user", spec.user);
  flags.push("--entrypoint", spec.entrypoint, spec.image, ...spec.args);
  return flags;
}

export function labelFlags(labels: Record<string, string>): string[] {
  return Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]);
}

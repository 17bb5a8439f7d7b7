import type { ContainerSpec, Mount } from "./engine.ts";

/** How `create` spells one bind mount; SELinux relabelling differs between the engines. */
export type MountFlags = (mount: Mount) => string[];

/** argv builders both CLIs spell the same way; each returns the command without running it. */
export const sharedArgs = {
  pull: (image: string) => ["pull", "--quiet", image],
  inspectImage: (image: string) => ["image", "inspect", "--format", "{{json .Config}}", image],
  startAttached: (name: string) => ["start", "--attach", name],
  startDetached: (name: string) => ["start", name],
  copyInto: (source: string, name: string, path: string) => ["cp", source, `${name}:${path}`],
  exec: (name: string, argv: readonly string[]) => ["exec", name, ...argv],
  listContainers: (filter: string) => ["ps", "--all", "--quiet", "--filter", `label=${filter}`],
  listVolumes: (filter: string) => ["volume", "ls", "--quiet", "--filter", `label=${filter}`],
  removeVolumes: (ids: readonly string[]) => ["volume", "rm", "--force", ...ids],
  version: () => ["version", "--format", "{{json .}}"],
  info: () => ["info", "--format", "{{json .}}"],
  /** A throwaway root container that runs `chown -h` on paths below `/mallet-chown`. */
  chownInContainer: (image: string, root: string, owner: string, paths: readonly string[]) => [
    "run",
    "--rm",
    "--network",
    "none",
    "--user",
    "0:0",
    "--mount",
    `type=bind,source=${root},destination=${CHOWN_ROOT}`,
    "--entrypoint",
    "chown",
    image,
    "-h",
    owner,
    "--",
    ...paths.map((path) => (path ? `${CHOWN_ROOT}/${path}` : CHOWN_ROOT)),
  ],
  /** Runs a helper program (see helper-binaries.ts) from any image, as the doctor's probe. */
  probe: (image: string, program: string, target: string, join: readonly string[] = []) => [
    "run",
    "--rm",
    ...join,
    "--mount",
    `type=bind,source=${program},destination=${target},readonly`,
    "--entrypoint",
    target,
    image,
  ],
  listImages: () => ["images", "--format", "{{.Repository}}:{{.Tag}}"],
};

const CHOWN_ROOT = "/mallet-chown";

/** argv builders for the podman CLI. */
export const podmanArgs = {
  ...sharedArgs,
  imageExists: (image: string) => ["image", "exists", image],
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
  createContainer: (spec: ContainerSpec, relabel: boolean) => [
    "create",
    "--pod",
    spec.pod,
    ...containerFlags(spec, podmanMount(relabel)),
  ],
  stop: (name: string) => ["stop", "--time", "0", "--ignore", name],
  removeContainer: (name: string) => ["rm", "--force", "--time", "0", "--ignore", name],
  listPods: (filter: string) => ["pod", "ps", "--quiet", "--filter", `label=${filter}`],
  removePods: (ids: readonly string[]) => ["pod", "rm", "--force", "--time", "0", ...ids],
  removeContainers: (ids: readonly string[]) => ["rm", "--force", "--time", "0", ...ids],
  /** In rootless podman's user namespace the calling user is root: 0:0 is that user on the host. */
  unshareChown: (paths: readonly string[]) => ["unshare", "chown", "-h", "0:0", "--", ...paths],
};

/** podman's `--mount`, with `relabel=shared` (`:z`) where SELinux is on. */
export function podmanMount(relabel: boolean): MountFlags {
  return (mount) => {
    const options = `${mount.readOnly ? ",readonly" : ""}${relabel ? ",relabel=shared" : ""}`;
    return ["--mount", `type=bind,source=${mount.source},destination=${mount.target}${options}`];
  };
}

/** Flags shared by podman and docker for `create`: name, labels, env, mounts, entrypoint. */
export function containerFlags(spec: ContainerSpec, mountFlags: MountFlags): string[] {
  const flags = ["--name", spec.name, ...labelFlags(spec.labels)];
  for (const [key, value] of spec.env) flags.push("--env", `${key}=${value}`);
  for (const mount of spec.mounts) flags.push(...mountFlags(mount));
  if (spec.workingDir) flags.push("--workdir", spec.workingDir);
  if (spec.user) flags.push("--user", spec.user);
  flags.push("--entrypoint", spec.entrypoint, spec.image, ...spec.args);
  return flags;
}

export function labelFlags(labels: Record<string, string>): string[] {
  return Object.entries(labels).flatMap(([key, value]) => ["--label", `${key}=${value}`]);
}

import type { ContainerSpec, PodSpec } from "./engine.ts";
import { helperTarget } from "./helper-binaries.ts";
import { containerFlags, labelFlags, type MountFlags, sharedArgs } from "./podman-args.ts";

/** Marks every container of one docker "pod", its network holder included. */
export const POD_LABEL = "mallet.pod";

/**
 * argv builders for the docker CLI. Docker has no pods: a TaskRun's network holder is a
 * container running the `pause` helper, and steps and sidecars join its network and IPC
 * namespaces (`container:<holder>`), which is what a pod's infra container provides.
 */
export const dockerArgs = {
  ...sharedArgs,
  // docker has no `image exists`; inspect exits 1 for a missing image.
  imageExists: (image: string) => ["image", "inspect", "--format", "{{.Id}}", image],
  runNetworkHolder: (pod: PodSpec, pausePath: string) => [
    "run",
    "--detach",
    "--name",
    pod.name,
    "--hostname",
    pod.hostname,
    ...labelFlags({ ...pod.labels, [POD_LABEL]: pod.name }),
    "--ipc",
    "shareable",
    "--pull",
    "never",
    "--no-healthcheck",
    "--mount",
    `type=bind,source=${pausePath},destination=${helperTarget("pause")},readonly`,
    "--entrypoint",
    helperTarget("pause"),
    pod.image,
  ],
  /** `hostname` is given only to daemons that do not share the holder's (podman's API). */
  createContainer: (spec: ContainerSpec, relabel: boolean, hostname?: string) => [
    "create",
    "--network",
    `container:${spec.pod}`,
    "--ipc",
    `container:${spec.pod}`,
    ...(hostname ? ["--hostname", hostname] : []),
    "--pull",
    "never",
    ...containerFlags(
      { ...spec, labels: { ...spec.labels, [POD_LABEL]: spec.pod } },
      dockerMount(relabel),
    ),
  ],
  listPodMembers: (pod: string) => [
    "ps",
    "--all",
    "--filter",
    `label=${POD_LABEL}=${pod}`,
    "--format",
    "{{.Names}}",
  ],
  // `-t`: docker 23 renamed `--time` to `--timeout`; the short flag works with both.
  stop: (name: string) => ["stop", "-t", "0", name],
  removeContainer: (name: string) => ["rm", "--force", name],
  removeContainers: (names: readonly string[]) => ["rm", "--force", ...names],
};

/**
 * docker's `--mount` has no SELinux option, so where SELinux is on a mount is a `--volume`
 * with `:z`.
 * LIMITATION: with SELinux on, a host path containing `:` cannot be mounted by docker.
 */
export function dockerMount(relabel: boolean): MountFlags {
  return (mount) => {
    if (relabel) {
      const mode = mount.readOnly ? "ro,z" : "z";
      return ["--volume", `${mount.source}:${mount.target}:${mode}`];
    }
    const options = mount.readOnly ? ",readonly" : "";
    return ["--mount", `type=bind,source=${mount.source},destination=${mount.target}${options}`];
  };
}

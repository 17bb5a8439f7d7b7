import type { Mount } from "../backend/engine.ts";
import type { ContainerPlan, StepPlan } from "../core/task/plan.ts";
import type { TaskDirs } from "./host-dirs.ts";
import { containedPath, makeDir } from "./host-dirs.ts";

/** The `/workspace` and `/tekton/*` mounts every step gets, plus its own writable folders. */
export function internalMounts(dirs: TaskDirs, step: StepPlan | undefined): Mount[] {
  const mounts: Mount[] = [
    { source: dirs.workspace, target: "/workspace", readOnly: false },
    { source: dirs.home, target: "/tekton/home", readOnly: false },
    { source: dirs.results, target: "/tekton/results", readOnly: false },
    { source: dirs.scripts, target: "/tekton/scripts", readOnly: true },
    { source: dirs.creds, target: "/tekton/creds", readOnly: true },
    { source: dirs.steps, target: "/tekton/steps", readOnly: true },
    { source: dirs.run, target: "/tekton/run", readOnly: true },
  ];
  if (!step) return mounts;
  // A step may write only its own run and step-result folders; other steps' stay read-only.
  const ownResults = `${dirs.steps}/${step.containerName}/results`;
  mounts.push({
    source: ownResults,
    target: `/tekton/steps/${step.containerName}/results`,
    readOnly: false,
  });
  mounts.push({
    source: `${dirs.run}/${step.index}`,
    target: `/tekton/run/${step.index}`,
    readOnly: false,
  });
  return mounts;
}

/** The user's workspace and volume mounts of a container, with subPaths made on the host. */
export function userMounts(container: ContainerPlan, dirs: TaskDirs): Mount[] {
  return container.mounts.map((mount) => {
    const base = dirs.volumes.get(mount.volume) as string;
    const source = mount.subPath ? makeDir(containedPath(base, mount.subPath)) : base;
    return { source, target: mount.target, readOnly: mount.readOnly };
  });
}

/** Maps a path inside the container to the host, through the container's mounts, contained. */
export function hostPathOf(path: string, mounts: readonly Mount[]): string | undefined {
  const sorted = [...mounts].sort((a, b) => b.target.length - a.target.length);
  for (const mount of sorted) {
    if (path === mount.target || path.startsWith(`${mount.target}/`)) {
      return containedPath(mount.source, path.slice(mount.target.length));
    }
  }
  return undefined;
}

/** Mounts the credentials Tekton's creds-init would have copied into the step's home. */
export function credentialMounts(dirs: TaskDirs, paths: readonly string[], home: string): Mount[] {
  const tops = [...new Set(paths.map((path) => path.split("/")[0] as string))];
  return tops.map((top) => ({
    source: `${dirs.creds}/${top}`,
    target: `${home.replace(/\/$/, "")}/${top}`,
    readOnly: false,
  }));
}

/** The home directory a step will see: its own HOME, the image's, or root's. */
export function homeOf(
  env: ReadonlyArray<readonly [string, string]>,
  imageEnv: readonly string[],
  user: string | undefined,
): string {
  const own = env.find(([key]) => key === "HOME");
  if (own) return own[1];
  const fromImage = imageEnv.find((entry) => entry.startsWith("HOME="));
  if (fromImage) return fromImage.slice("HOME=".length);
  return user && user !== "0" && !user.startsWith("0:") && user !== "root" ? "/" : "/root";
}

/** A user's mount replaces an internal one at the same path, as a volumeMount over /workspace does. */
export function mergeMounts(internal: readonly Mount[], user: readonly Mount[]): Mount[] {
  const targets = new Set(user.map((mount) => mount.target.replace(/\/+$/, "")));
  return [...internal.filter((mount) => !targets.has(mount.target)), ...user];
}

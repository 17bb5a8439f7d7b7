import type { ParamValue } from "../model/common.ts";
import type { Sidecar, Step } from "../model/step.ts";
import type { TaskSpec } from "../model/task.ts";
import type { TaskPlanInput } from "./plan-task.ts";
import { type MountPlan, PlanError } from "./plan.ts";
import { type VolumeSource, workspaceSource } from "./volumes.ts";

// Where a TaskRun's workspaces and volumes are mounted: declared workspaces with their
// bindings, step-isolated workspaces, and volumeMounts that replace a workspace's path.

export interface WorkspaceMount {
  name: string;
  mount: MountPlan;
  /** Set when steps name the workspace in `workspaces`: only those steps get it. */
  isolated: boolean;
}

export function planWorkspaces(
  input: TaskPlanInput,
  vars: Map<string, ParamValue>,
  volumes: Map<string, VolumeSource>,
): WorkspaceMount[] {
  const isolated = isolatedWorkspaces(input.spec);
  const mounts: WorkspaceMount[] = [];
  for (const decl of input.spec.workspaces ?? []) {
    const binding = input.workspaces.find((item) => item.name === decl.name);
    const target = decl.mountPath ?? `/workspace/${decl.name}`;
    vars.set(`workspaces.${decl.name}.bound`, binding ? "true" : "false");
    vars.set(`workspaces.${decl.name}.path`, binding ? target : "");
    if (!binding) {
      if (decl.optional) continue;
      throw new PlanError(
        "TaskRunValidationFailed",
        `workspace "${decl.name}" is declared but not bound`,
      );
    }
    const claim = binding.persistentVolumeClaim?.claimName;
    vars.set(`workspaces.${decl.name}.claim`, claim === undefined ? "" : String(claim));
    vars.set(`workspaces.${decl.name}.volume`, `ws-${decl.name}`);
    volumes.set(
      `ws-${decl.name}`,
      sourceOf(() => workspaceSource(binding, input.lookupData)),
    );
    const readOnly =
      decl.readOnly === true || Boolean(binding.configMap || binding.secret || binding.projected);
    const mount = { volume: `ws-${decl.name}`, target, readOnly, subPath: binding.subPath };
    mounts.push({ name: decl.name, mount, isolated: isolated.has(decl.name) });
  }
  return mounts;
}

function isolatedWorkspaces(spec: TaskSpec): Set<string> {
  const names = new Set<string>();
  for (const container of [...spec.steps, ...(spec.sidecars ?? [])]) {
    for (const usage of container.workspaces ?? []) names.add(usage.name);
  }
  return names;
}

export function sourceOf(make: () => VolumeSource): VolumeSource {
  try {
    return make();
  } catch (error) {
    throw new PlanError("CreateContainerConfigError", (error as Error).message);
  }
}

export function containerMounts(container: Step | Sidecar, workspaces: WorkspaceMount[]) {
  const byTarget = new Map<string, MountPlan>();
  const usages = container.workspaces ?? [];
  for (const workspace of workspaces) {
    const usage = usages.find((item) => item.name === workspace.name);
    if (workspace.isolated && !usage) continue;
    const target = usage?.mountPath ?? workspace.mount.target;
    const mount = { ...workspace.mount, target };
    byTarget.set(mount.target, mount);
  }
  // An explicit volumeMount at a workspace's path replaces the workspace's own mount.
  for (const mount of container.volumeMounts ?? []) {
    const readOnly = mount.readOnly === true;
    byTarget.set(mount.mountPath, {
      volume: mount.name,
      target: mount.mountPath,
      readOnly,
      subPath: mount.subPath,
    });
  }
  return [...byTarget.values()];
}

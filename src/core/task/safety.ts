import type { DocPath } from "../load/parse-yaml.ts";
import { PlanError, type TaskPlan } from "./plan.ts";

/**
 * What keeps a document inside the run's own directories: names that become host path
 * components, relative paths that stay inside their volume, no `..` in container paths that
 * map to host directories, and no host paths at all (only `-w name=...,path=DIR` binds one).
 */

/** One problem found in a document: where, and what is wrong. */
export interface SafetyProblem {
  path: DocPath;
  message: string;
}

// A name that is one harmless path component: never empty, ".", ".." or holding "/".
const SAFE_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const MAX_NAME_LENGTH = 253;

/** Arrays whose items' `name` Mallet turns into a directory or file name. */
const NAMED_ITEMS: Record<string, string> = {
  steps: "step",
  sidecars: "sidecar",
  volumes: "volume",
  volumeMounts: "volume",
  workspaces: "workspace",
  results: "result",
  tasks: "pipeline task",
  finally: "pipeline task",
};

/** Why `name` cannot name a step, volume, workspace, result or run; undefined when it can. */
export function nameProblem(name: string, what: string): string | undefined {
  if (SAFE_NAME.test(name) && name.length <= MAX_NAME_LENGTH) return undefined;
  return `${what} name "${shown(name)}" is not allowed: use letters, digits, "-", "_" and ".", starting with a letter or digit`;
}

/** Why a `subPath` or file path would leave its volume; undefined when it stays inside. */
export function relativePathProblem(path: string, what: string): string | undefined {
  if (path.startsWith("/")) return `${what} "${shown(path)}" must be a relative path`;
  if (hasDotDot(path)) return `${what} "${shown(path)}" must not contain ".."`;
  return undefined;
}

/** Why a container path (workingDir, mountPath, stdoutConfig.path) is refused. */
export function containerPathProblem(path: string, what: string): string | undefined {
  if (hasDotDot(path)) return `${what} "${shown(path)}" must not contain ".."`;
  return undefined;
}

/** Tekton's own rule: nothing but /tekton/home may be mounted under /tekton/. */
export function tektonMountProblem(name: string, mountPath: string): string | undefined {
  if (!mountPath.startsWith("/tekton/") || mountPath.startsWith("/tekton/home")) return undefined;
  return `volumeMount cannot be mounted under /tekton/ (volumeMount "${name}" mounted at "${mountPath}")`;
}

// Long values are cut in messages: one line, whatever the document holds.
function shown(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

function hasDotDot(path: string): boolean {
  return path.split("/").includes("..");
}

// A value with a variable is checked once substituted, when its TaskRun is planned.
function isPending(value: string): boolean {
  return value.includes("$(");
}

/**
 * Every path and name in a Tekton document that could reach outside the run's directories,
 * in document order. `data` is the whole document (metadata and spec).
 */
export function documentSafetyProblems(data: unknown): SafetyProblem[] {
  const problems: SafetyProblem[] = [];
  const metadata = (data as { metadata?: Record<string, unknown> } | null)?.metadata;
  for (const field of ["name", "generateName"] as const) {
    const value = metadata?.[field];
    const problem = typeof value === "string" ? nameProblem(value, "resource") : undefined;
    if (problem) problems.push({ path: ["metadata", field], message: problem });
  }
  const spec = (data as { spec?: unknown } | null)?.spec;
  if (spec !== undefined) walk(spec, ["spec"], problems);
  return problems;
}

function walk(value: unknown, path: DocPath, problems: SafetyProblem[]): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) walk(item, [...path, index], problems);
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    if (OPAQUE_VALUES.has(key)) continue;
    if (key === "volumeMounts" && Array.isArray(child)) checkTektonMounts(child, at, problems);
    if (key === "hostPath") {
      problems.push({
        path: at,
        message:
          "hostPath is not allowed in documents: bind a host directory with -w NAME=...,path=DIR",
      });
      continue;
    }
    if (typeof child === "string") checkField(key, child, at, path, problems);
    walk(child, at, problems);
  }
}

// Param values and defaults are data, whatever their keys are called.
const OPAQUE_VALUES = new Set(["value", "default", "labels", "annotations"]);

function checkTektonMounts(mounts: unknown[], at: DocPath, problems: SafetyProblem[]): void {
  for (const [index, mount] of mounts.entries()) {
    const { name, mountPath } = (mount ?? {}) as { name?: unknown; mountPath?: unknown };
    if (typeof mountPath !== "string") continue;
    const message = tektonMountProblem(String(name), mountPath);
    if (message) problems.push({ path: [...at, index, "mountPath"], message });
  }
}

function checkField(
  key: string,
  value: string,
  at: DocPath,
  parent: DocPath,
  problems: SafetyProblem[],
): void {
  if (isPending(value)) return;
  const add = (message: string | undefined) => {
    if (message) problems.push({ path: at, message });
  };
  const container = parent.at(-2);
  if (key === "name" && typeof container === "string" && Object.hasOwn(NAMED_ITEMS, container)) {
    add(nameProblem(value, NAMED_ITEMS[container] as string));
  } else if (key === "claimName") add(nameProblem(value, "claim"));
  else if (key === "subPath") add(relativePathProblem(value, "subPath"));
  else if (key === "workingDir") add(containerPathProblem(value, "workingDir"));
  else if (key === "mountPath") add(containerPathProblem(value, "mountPath"));
  else if (key === "path" && isItemPath(parent)) add(relativePathProblem(value, "path"));
  else if (key === "path" && isOutputConfig(parent)) add(containerPathProblem(value, "path"));
}

// `items[i].path` of a configMap or secret volume: a file name inside the volume.
function isItemPath(parent: DocPath): boolean {
  return parent.at(-2) === "items";
}

function isOutputConfig(parent: DocPath): boolean {
  const last = parent.at(-1);
  return last === "stdoutConfig" || last === "stderrConfig";
}

/** Every problem of a planned TaskRun, whose values are now substituted. */
export function planSafetyProblems(plan: TaskPlan): string[] {
  const problems: Array<string | undefined> = [];
  for (const container of [...plan.steps, ...plan.sidecars]) {
    problems.push(nameProblem(container.name, container.containerName.split("-")[0] as string));
    if (container.workingDir)
      problems.push(containerPathProblem(container.workingDir, "workingDir"));
    for (const mount of container.mounts) {
      problems.push(containerPathProblem(mount.target, "mountPath"));
      if (mount.subPath) problems.push(relativePathProblem(mount.subPath, "subPath"));
    }
  }
  for (const step of plan.steps) {
    for (const path of [step.stdoutPath, step.stderrPath])
      if (path) problems.push(containerPathProblem(path, "path"));
    for (const result of step.results) problems.push(nameProblem(result.name, "result"));
  }
  for (const result of plan.results) problems.push(nameProblem(result.name, "result"));
  for (const [name, source] of plan.volumes) {
    if (source.type === "claim") problems.push(nameProblem(source.claim, "claim"));
    if (source.type === "files")
      for (const file of source.files) problems.push(relativePathProblem(file.path, "path"));
    problems.push(nameProblem(name, "volume"));
  }
  return problems.filter((problem): problem is string => problem !== undefined);
}

/** Throws the first problem of a planned TaskRun as a validation failure. */
export function checkPlanSafety(plan: TaskPlan): void {
  const problem = planSafetyProblems(plan)[0];
  if (problem) throw new PlanError("TaskRunValidationFailed", problem);
}

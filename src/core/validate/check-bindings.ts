import type { DocPath } from "../load/parse-yaml.ts";
import type { Param, ParamSpec } from "../model/common.ts";
import type { Step } from "../model/step.ts";
import type { StepActionSpec } from "../model/task.ts";
import { paramType, valueType } from "../subst/params.ts";
import type { Scope } from "./diagnostic.ts";

/** How given params meet the params a Task, Pipeline or StepAction declares. */
export interface ParamBinding {
  /** `Task "build"`, for messages. */
  target: string;
  given: readonly Param[] | undefined;
  /** Where given params sit (relative to the scope), usually ["params"]. */
  givenAt: DocPath;
  /** Where to report a missing param. */
  missingAt: DocPath;
  /** Matrix params and include params: given one at a time, as strings. */
  matrix?: ReadonlyArray<{ param: Param; path: DocPath }>;
  /** Names an embedding scope propagates, which count as given. */
  propagated?: ReadonlySet<string>;
  /** Report values for undeclared params (only for referenced resources: no propagation). */
  reportUnused: boolean;
}

const VARIABLE = /\$\([_a-zA-Z0-9.-]+(\.[_a-zA-Z0-9.-]+)*(\[([0-9]+|\*)\])?\)/;

/** Checks given params against declared ones: missing, mistyped, outside the enum, unused. */
export function checkParamBinding(
  declared: readonly ParamSpec[] | undefined,
  binding: ParamBinding,
  at: Scope,
): void {
  const specs = new Map((declared ?? []).map((spec) => [spec.name, spec]));
  reportMissing(specs, binding, at);
  (binding.given ?? []).forEach((param, i) => {
    const spec = specs.get(param.name);
    const path = [...binding.givenAt, i];
    if (spec) checkGivenValue(spec, param, path, binding.target, at);
    else if (binding.reportUnused) {
      const message = `${binding.target} declares no param "${param.name}"`;
      at.report("param-unused", [...path, "name"], message);
    }
  });
  for (const { param, path } of binding.matrix ?? []) {
    const spec = specs.get(param.name);
    if (!spec || paramType(spec) === "string") continue;
    const message = `matrix gives param "${param.name}" one string at a time, but ${binding.target} declares it ${paramType(spec)}`;
    at.report("param-type", path, message);
  }
}

function reportMissing(specs: ReadonlyMap<string, ParamSpec>, binding: ParamBinding, at: Scope) {
  const given = [...(binding.given ?? []), ...(binding.matrix ?? []).map((m) => m.param)];
  const names = new Set(given.map((param) => param.name));
  for (const spec of specs.values()) {
    if (spec.default !== undefined || names.has(spec.name)) continue;
    if (binding.propagated?.has(spec.name)) continue;
    const message = `${binding.target} needs param "${spec.name}", which has no default`;
    at.report("missing-param", binding.missingAt, message);
  }
}

function checkGivenValue(spec: ParamSpec, param: Param, path: DocPath, target: string, at: Scope) {
  const declared = paramType(spec);
  const actual = valueType(param.value);
  const isReference = typeof param.value === "string" && VARIABLE.test(param.value);
  // A reference such as "$(params.list[*])" is typed when it is substituted.
  if (actual !== declared && !(isReference && declared !== "string")) {
    const message = `param "${param.name}" is ${declared} in ${target} but is given ${article(actual)}`;
    at.report("param-type", [...path, "value"], message);
    return;
  }
  const value = param.value;
  if (typeof value === "string" && spec.enum?.length && value !== "" && !isReference) {
    if (!spec.enum.includes(value)) {
      const message = `"${value}" is not one of the enum values of param "${param.name}": ${spec.enum.join(", ")}`;
      at.report("param-enum", [...path, "value"], message);
    }
  }
  if (typeof value === "object" && !Array.isArray(value) && spec.properties) {
    const have = new Set([...Object.keys(value), ...Object.keys((spec.default as object) ?? {})]);
    const missing = Object.keys(spec.properties).filter((key) => !have.has(key));
    if (missing.length > 0) {
      const message = `object param "${param.name}" misses keys ${missing.join(", ")}`;
      at.report("missing-param", [...path, "value"], message);
    }
  }
}

/** How bound workspaces meet the workspaces a Task or Pipeline declares. */
export interface WorkspaceBinding {
  target: string;
  bound: ReadonlyArray<{ name: string }> | undefined;
  boundAt: DocPath;
  missingAt: DocPath;
  propagated?: ReadonlySet<string>;
  reportUndeclared: boolean;
  /** A pipeline task's: Tekton fails only its TaskRun, when it is created. */
  atTaskRunStart?: boolean;
}

/** Checks bound workspaces: every required one bound, none that the target does not declare. */
export function checkWorkspaceBinding(
  declared: ReadonlyArray<{ name: string; optional?: boolean | undefined }> | undefined,
  binding: WorkspaceBinding,
  at: Scope,
): void {
  const bound = binding.bound ?? [];
  const names = new Set(bound.map((b) => b.name));
  for (const workspace of declared ?? []) {
    if (
      workspace.optional ||
      names.has(workspace.name) ||
      binding.propagated?.has(workspace.name)
    ) {
      continue;
    }
    at.report(
      "missing-workspace",
      binding.missingAt,
      `${binding.target} needs workspace "${workspace.name}", which is not bound`,
      binding.atTaskRunStart,
    );
  }
  if (!binding.reportUndeclared) return;
  const declaredNames = new Set((declared ?? []).map((w) => w.name));
  bound.forEach((b, i) => {
    if (declaredNames.has(b.name)) return;
    at.report(
      "workspace-undeclared",
      [...binding.boundAt, i, "name"],
      `${binding.target} declares no workspace "${b.name}"`,
    );
  });
}

/** Checks the params a step passes to the StepAction it references. */
export function checkStepActionBinding(
  step: Step,
  action: StepActionSpec,
  at: Scope,
  propagated: ReadonlySet<string>,
): void {
  const binding: ParamBinding = {
    target: `StepAction "${step.ref?.name}"`,
    given: step.params,
    givenAt: ["params"],
    missingAt: step.params ? ["params"] : ["ref"],
    propagated,
    reportUnused: true,
  };
  checkParamBinding(action.params, binding, at);
}

function article(type: string): string {
  return type === "array" || type === "object" ? `an ${type}` : `a ${type}`;
}

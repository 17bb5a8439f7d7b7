import type { Sidecar, Step, StepTemplate } from "../model/step.ts";
import type { TaskSpec } from "../model/task.ts";
import { checkParamSpecs, checkResultSpecs, reportDuplicates } from "./check-declarations.ts";
import { checkSites, mergeParams, type ParamScope, paramsFromSpecs } from "./check-references.ts";
import { checkSidecar, checkStep, checkStepTemplate } from "./check-steps.ts";
import { checkStepActionBinding } from "./check-bindings.ts";
import type { Scope } from "./diagnostic.ts";
import { SiteList } from "./expressions.ts";
import { localRefName, type Lookup } from "./lookup.ts";

/** What an embedding run or pipeline makes visible to an embedded Task spec. */
export interface Propagated {
  params: ParamScope;
  workspaces: ReadonlySet<string>;
}

export const NOTHING_PROPAGATED: Propagated = { params: new Map(), workspaces: new Set() };

/** Checks a Task spec, standalone or embedded; `at` is where the spec sits. */
export function checkTaskSpec(spec: TaskSpec, at: Scope, outer: Propagated, lookup: Lookup): void {
  if (spec.steps.length === 0) {
    at.report("missing-steps", ["steps"], "a Task needs at least one step");
  }
  checkParamSpecs(spec.params, at);
  checkResultSpecs(spec.results, at, "task");
  checkWorkspaceDeclarations(spec, at);
  reportDuplicates(spec.volumes ?? [], at.at("volumes"), "duplicate-volume", "volume");
  reportDuplicates(spec.steps, at.at("steps"), "duplicate-step", "step");
  const visible = new Set([...outer.params.keys(), ...(spec.params ?? []).map((p) => p.name)]);
  spec.steps.forEach((step, i) => {
    checkStep(step, spec.stepTemplate, at.at("steps", i));
    const name = localRefName(step.ref, "StepAction");
    const action = name === undefined ? undefined : lookup.stepAction(name);
    if (action) checkStepActionBinding(step, action, at.at("steps", i), visible);
  });
  spec.sidecars?.forEach((sidecar, i) => checkSidecar(sidecar, at.at("sidecars", i)));
  if (spec.stepTemplate) checkStepTemplate(spec.stepTemplate, at.at("stepTemplate"));
  checkWorkspaceUsages(spec, at);
  checkTaskVariables(spec, at, outer, lookup);
}

function checkWorkspaceDeclarations(spec: TaskSpec, at: Scope): void {
  const workspaces = spec.workspaces ?? [];
  reportDuplicates(workspaces, at.at("workspaces"), "duplicate-workspace", "workspace");
  const mounts = new Set<string>();
  for (const container of [...spec.steps, spec.stepTemplate ?? {}]) {
    for (const mount of container.volumeMounts ?? []) mounts.add(cleanPath(mount.mountPath));
  }
  workspaces.forEach((workspace, i) => {
    const path = cleanPath(workspace.mountPath ?? `/workspace/${workspace.name}`);
    if (mounts.has(path)) {
      const field = workspace.mountPath === undefined ? "name" : "mountPath";
      at.report(
        "workspace-mount-path",
        ["workspaces", i, field],
        `workspace "${workspace.name}" mounts at ${path}, which is already in use`,
      );
    }
    mounts.add(path);
  });
}

function checkWorkspaceUsages(spec: TaskSpec, at: Scope): void {
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  const check = (containers: ReadonlyArray<Step | Sidecar>, field: string) => {
    containers.forEach((container, i) => {
      container.workspaces?.forEach((usage, j) => {
        if (declared.has(usage.name)) return;
        at.report(
          "workspace-undeclared",
          [field, i, "workspaces", j, "name"],
          `workspace "${usage.name}" is not declared by the Task`,
        );
      });
    });
  };
  check(spec.steps, "steps");
  check(spec.sidecars ?? [], "sidecars");
}

function checkTaskVariables(spec: TaskSpec, at: Scope, outer: Propagated, lookup: Lookup): void {
  const steps = new Map<string, ReadonlySet<string> | undefined>();
  for (const step of spec.steps) {
    if (step.name !== undefined) steps.set(step.name, stepResults(step, lookup));
  }
  const env = {
    params: mergeParams(outer.params, paramsFromSpecs(spec.params)),
    workspaces: new Set([...outer.workspaces, ...(spec.workspaces ?? []).map((w) => w.name)]),
    results: new Set((spec.results ?? []).map((r) => r.name)),
    steps,
  };
  checkSites(taskSites(spec).sites, env, at);
}

// The results a step declares, or those of its StepAction; undefined when not known here.
function stepResults(step: Step, lookup: Lookup): ReadonlySet<string> | undefined {
  if (!step.ref) return new Set((step.results ?? []).map((r) => r.name));
  const name = localRefName(step.ref, "StepAction");
  const results = name === undefined ? undefined : lookup.stepAction(name)?.results;
  return results ? new Set(results.map((r) => r.name)) : undefined;
}

/** The strings of a Task spec that may hold references, with what each one is. */
export function taskSites(spec: TaskSpec): SiteList {
  const list = new SiteList();
  spec.steps.forEach((step, i) => {
    const own = new Set((step.results ?? []).map((r) => r.name));
    containerSites(list, step, ["steps", i], own);
    list.add(step.onError, ["steps", i, "onError"], "text", "onError");
    step.when?.forEach((when, j) => {
      list.add(when.input, ["steps", i, "when", j, "input"], "text", "when");
      list.addItems(when.values, ["steps", i, "when", j, "values"], "when");
    });
    step.params?.forEach((param, j) =>
      list.addValue(param.value, ["steps", i, "params", j, "value"], "params"),
    );
  });
  spec.sidecars?.forEach((sidecar, i) => containerSites(list, sidecar, ["sidecars", i]));
  if (spec.stepTemplate) containerSites(list, spec.stepTemplate, ["stepTemplate"]);
  list.addDeep(spec.volumes, ["volumes"], "volumes");
  spec.workspaces?.forEach((w, i) =>
    list.add(w.mountPath, ["workspaces", i, "mountPath"], "text", "workspaces"),
  );
  spec.results?.forEach((r, i) => list.addValue(r.value, ["results", i, "value"], "results"));
  return list;
}

type Container = Step | Sidecar | StepTemplate;

function containerSites(
  list: SiteList,
  c: Container,
  at: (string | number)[],
  own?: ReadonlySet<string>,
): void {
  const add = (text: string | undefined, field: string, path: (string | number)[] = [field]) =>
    list.add(text, [...at, ...path], "text", field, own);
  if ("name" in c) add(c.name, "name");
  add(c.image, "image");
  add(c.workingDir, "workingDir");
  if ("script" in c) add(c.script, "script");
  for (const field of ["command", "args"] as const) {
    c[field]?.forEach((item, j) => list.add(item, [...at, field, j], "item", field, own));
  }
  c.env?.forEach((env, j) => add(env.value, "env", ["env", j, "value"]));
  c.volumeMounts?.forEach((mount, j) => {
    for (const key of ["name", "mountPath", "subPath"] as const) {
      add(mount[key], "volumeMounts", ["volumeMounts", j, key]);
    }
  });
}

function cleanPath(path: string): string {
  const trimmed = path.replace(/\/+$/, "").replace(/\/+/g, "/");
  return trimmed === "" ? "/" : trimmed;
}

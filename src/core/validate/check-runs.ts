import type { Param, ParamSpec } from "../model/common.ts";
import type { PipelineRunSpec, TaskRunSpec } from "../model/runs.ts";
import { checkParamBinding, checkWorkspaceBinding } from "./check-bindings.ts";
import { checkPipelineSpec } from "./check-pipeline.ts";
import { paramsFromValues } from "./check-references.ts";
import {
  checkBindings,
  checkOneOf,
  checkOverrides,
  checkRunParams,
  checkStatus,
  checkTimeouts,
} from "./check-run-fields.ts";
import { checkRef } from "./check-steps.ts";
import { checkTaskSpec } from "./check-task.ts";
import type { Scope } from "./diagnostic.ts";
import { scanRefs } from "./expressions.ts";
import { type Lookup, localRefName } from "./lookup.ts";

/** Checks a TaskRun spec: its Task (embedded or referenced), params, workspaces and status. */
export function checkTaskRunSpec(spec: TaskRunSpec, at: Scope, lookup: Lookup): void {
  checkOneOf(spec.taskRef, spec.taskSpec, ["taskRef", "taskSpec"], at);
  if (spec.taskRef) checkRef(spec.taskRef, at.at("taskRef"));
  if (spec.taskSpec) {
    const workspaces = new Set((spec.workspaces ?? []).map((w) => w.name));
    const outer = { params: paramsFromValues(spec.params), workspaces };
    checkTaskSpec(spec.taskSpec, at.at("taskSpec"), outer, lookup);
  }
  checkRunParams(spec.params, at);
  checkBindings(spec.workspaces, at);
  if (spec.debug) {
    at.report("feature-flag", ["debug"], "debug needs enable-api-fields: alpha on a cluster");
  }
  checkOverrides(spec, at);
  checkStatus("TaskRun", spec.status, spec.statusMessage, at);
  if (spec.retries !== undefined && spec.retries < 0) {
    at.report("retries-negative", ["retries"], `retries is ${spec.retries}; it must be 0 or more`);
  }
  const name = localRefName(spec.taskRef, "Task");
  const task = spec.taskSpec ?? (name === undefined ? undefined : lookup.task(name));
  const target = spec.taskSpec
    ? { what: "the embedded Task", field: "taskSpec", referenced: false }
    : { what: `Task "${name}"`, field: "taskRef", referenced: true };
  // A TaskRun binds only what its Task declares, unless the spec is embedded.
  if (task) checkTarget(task, spec, { ...target, strictWorkspaces: target.referenced }, at);
}

/** Checks a PipelineRun spec: its Pipeline, params, workspaces, timeouts and status. */
export function checkPipelineRunSpec(spec: PipelineRunSpec, at: Scope, lookup: Lookup): void {
  checkOneOf(spec.pipelineRef, spec.pipelineSpec, ["pipelineRef", "pipelineSpec"], at);
  if (spec.pipelineRef) checkRef(spec.pipelineRef, at.at("pipelineRef"));
  if (spec.pipelineSpec) {
    const workspaces = new Set((spec.workspaces ?? []).map((w) => w.name));
    const outer = { params: paramsFromValues(spec.params), workspaces };
    checkPipelineSpec(spec.pipelineSpec, at.at("pipelineSpec"), outer, lookup);
  }
  checkRunParams(spec.params, at);
  checkNoResultRefs(spec.params, at);
  checkBindings(spec.workspaces, at);
  checkTimeouts(spec, at);
  checkStatus("PipelineRun", spec.status, undefined, at);
  spec.taskRunSpecs?.forEach((entry, i) => checkOverrides(entry, at.at("taskRunSpecs", i)));
  const name = localRefName(spec.pipelineRef, "Pipeline");
  const pipeline = spec.pipelineSpec ?? (name === undefined ? undefined : lookup.pipeline(name));
  const target = spec.pipelineSpec
    ? { what: "the embedded Pipeline", field: "pipelineSpec", referenced: false }
    : { what: `Pipeline "${name}"`, field: "pipelineRef", referenced: true };
  // A PipelineRun may bind more workspaces than its Pipeline declares.
  if (pipeline) checkTarget(pipeline, spec, { ...target, strictWorkspaces: false }, at);
}

// Results exist only once tasks ran; a run's params are fixed before that.
function checkNoResultRefs(params: readonly Param[] | undefined, at: Scope): void {
  params?.forEach((param, i) => {
    const text = JSON.stringify(param.value);
    const refs = scanRefs(text).filter(
      (r) => r.segments[0] === "tasks" && r.segments[2] === "results",
    );
    if (refs.length === 0) return;
    at.report(
      "run-param-result-ref",
      ["params", i, "value"],
      "a PipelineRun param cannot use task results",
    );
  });
}

interface Declares {
  params?: readonly ParamSpec[] | undefined;
  workspaces?: ReadonlyArray<{ name: string; optional?: boolean | undefined }> | undefined;
}

interface Gives {
  params?: readonly Param[] | undefined;
  workspaces?: ReadonlyArray<{ name: string }> | undefined;
}

/** What a run's ref or embedded spec is, for messages and positions. */
interface Target {
  what: string;
  field: string;
  /** A referenced resource: values for undeclared params are reported (no propagation). */
  referenced: boolean;
  /** Bindings for undeclared workspaces are errors. */
  strictWorkspaces: boolean;
}

/** Checks what a run gives against what its Task or Pipeline declares. */
function checkTarget(declares: Declares, run: Gives, target: Target, at: Scope): void {
  const params = {
    target: target.what,
    given: run.params,
    givenAt: ["params"],
    missingAt: run.params ? ["params"] : [target.field],
    reportUnused: target.referenced,
  };
  checkParamBinding(declares.params, params, at);
  const workspaces = {
    target: target.what,
    bound: run.workspaces,
    boundAt: ["workspaces"],
    missingAt: run.workspaces ? ["workspaces"] : [target.field],
    reportUndeclared: target.strictWorkspaces,
  };
  checkWorkspaceBinding(declares.workspaces, workspaces, at);
}

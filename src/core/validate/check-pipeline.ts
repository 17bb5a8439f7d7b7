import type { PipelineSpec, PipelineTask } from "../model/pipeline.ts";
import { checkParamSpecs, reportDuplicates } from "./check-declarations.ts";
import { checkGraph } from "./check-graph.ts";
import { checkPipelineTask, type PipelineEnv } from "./check-pipeline-task.ts";
import { checkSites, mergeParams, paramsFromSpecs } from "./check-references.ts";
import type { Propagated } from "./check-task.ts";
import type { Scope } from "./diagnostic.ts";
import { SiteList } from "./expressions.ts";
import type { Lookup } from "./lookup.ts";

/** Checks a Pipeline spec, standalone or embedded in a PipelineRun. */
export function checkPipelineSpec(
  spec: PipelineSpec,
  at: Scope,
  outer: Propagated,
  lookup: Lookup,
): void {
  checkParamSpecs(spec.params, at);
  reportDuplicates(spec.workspaces ?? [], at.at("workspaces"), "duplicate-workspace", "workspace");
  reportDuplicates(spec.results ?? [], at.at("results"), "duplicate-result", "result");
  checkTaskNames(spec, at);
  if ((spec.finally?.length ?? 0) > 0 && (spec.tasks?.length ?? 0) === 0) {
    at.report("finally-without-tasks", ["finally"], "finally needs at least one task in tasks");
  }
  const env: PipelineEnv = {
    params: mergeParams(outer.params, paramsFromSpecs(spec.params)),
    workspaces: new Set([...outer.workspaces, ...(spec.workspaces ?? []).map((w) => w.name)]),
    lookup,
  };
  checkParamDefaults(spec, at, env);
  spec.tasks?.forEach((task, i) => checkPipelineTask(task, at.at("tasks", i), env));
  spec.finally?.forEach((task, i) => checkPipelineTask(task, at.at("finally", i), env));
  checkGraph(spec, at, lookup);
}

function checkTaskNames(spec: PipelineSpec, at: Scope): void {
  const seen = new Set<string>();
  const visit = (tasks: readonly PipelineTask[] | undefined, section: string) =>
    tasks?.forEach((task, i) => {
      if (seen.has(task.name)) {
        at.report(
          "duplicate-task",
          [section, i, "name"],
          `pipeline task "${task.name}" appears more than once`,
        );
      }
      seen.add(task.name);
    });
  visit(spec.tasks, "tasks");
  visit(spec.finally, "finally");
}

// A param default may use other params and the pipeline's context variables.
function checkParamDefaults(spec: PipelineSpec, at: Scope, env: PipelineEnv): void {
  const list = new SiteList();
  spec.params?.forEach((param, i) =>
    list.addValue(param.default, ["params", i, "default"], "params"),
  );
  checkSites(list.sites, { params: env.params }, at);
}

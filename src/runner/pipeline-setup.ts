import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Catalog } from "../core/catalog.ts";
import { MalletError } from "../core/errors.ts";
import type { ParamValue } from "../core/model/common.ts";
import type { PipelineSpec, PipelineTask } from "../core/model/pipeline.ts";
import type { PipelineRunResource } from "../core/model/resources.ts";
import type { WorkspaceBinding } from "../core/model/runs.ts";
import { buildDag, type Dag } from "../core/pipeline/dag.ts";
import type { TaskState } from "../core/pipeline/state.ts";
import type { SkippedTask, TaskRunStatus } from "../core/status.ts";
import { paramVars, resolveParams } from "../core/subst/params.ts";
import { runParamVars } from "../resolve/lookup.ts";
import { makeDir } from "./host-dirs.ts";
import type { PipelineTaskEnv } from "./pipeline-task.ts";
import { resolvePipelineRef, resolveTaskRef } from "./resolve-refs.ts";
import type { TaskRunContext } from "./task-runner.ts";

/** Everything one PipelineRun tracks while it runs. */
export interface RunState {
  name: string;
  spec: PipelineSpec;
  params: Map<string, ParamValue>;
  context: Map<string, string>;
  workspaces: WorkspaceBinding[];
  states: Map<string, TaskState>;
  matrixLengths: Map<string, number>;
  taskRuns: TaskRunStatus[];
  skipped: SkippedTask[];
  referenced: Map<string, PipelineTaskEnv["referenced"]>;
  timedOut: string | undefined;
}

export function prepareRun(
  run: PipelineRunResource,
  name: string,
  catalog: Catalog,
  ctx: TaskRunContext,
): RunState {
  const resolved = run.spec.pipelineSpec
    ? { spec: run.spec.pipelineSpec, name }
    : resolvePipelineRef(
        run.spec.pipelineRef ?? {},
        catalog,
        run.doc,
        ["spec", "pipelineRef"],
        runParamVars(run.spec.params),
      );
  const context = new Map([
    ["context.pipelineRun.name", name],
    ["context.pipelineRun.namespace", "default"],
    ["context.pipelineRun.uid", randomUUID()],
    ["context.pipeline.name", resolved.name],
  ]);
  const { values, problems } = resolveParams(
    resolved.spec.params ?? [],
    run.spec.params ?? [],
    context,
  );
  if (problems[0]) {
    throw new MalletError(
      problems[0].code,
      problems[0].message,
      run.doc.locate(["spec", "params"]),
    );
  }
  const referenced = new Map<string, PipelineTaskEnv["referenced"]>();
  const all = [...(resolved.spec.tasks ?? []), ...(resolved.spec.finally ?? [])];
  // Resolver params of the tasks' refs may name the pipeline's params, as the pre-pass did.
  const taskRefVars = paramVars(values);
  for (const [index, task] of all.entries()) {
    if (!task.taskRef) continue;
    const at = run.spec.pipelineSpec
      ? ["spec", "pipelineSpec", "tasks", index, "taskRef"]
      : ["spec", "pipelineRef"];
    referenced.set(task.name, resolveTaskRef(task.taskRef, catalog, run.doc, at, taskRefVars));
  }
  return {
    name,
    spec: resolved.spec,
    params: values,
    context,
    workspaces: materializeClaimTemplates(run.spec.workspaces ?? [], ctx.workDir),
    states: new Map(),
    matrixLengths: new Map(),
    taskRuns: [],
    skipped: [],
    referenced,
    timedOut: undefined,
  };
}

export function checkedDag(run: PipelineRunResource, tasks: PipelineTask[]): Dag {
  const { dag, problems } = buildDag(tasks);
  const problem = problems[0];
  if (!problem) return dag;
  const message =
    problem.kind === "cycle"
      ? `pipeline tasks form a cycle: ${problem.tasks.join(" -> ")}`
      : `task "${problem.task}" refers to unknown task "${problem.ref}" in ${problem.via === "runAfter" ? "runAfter" : "a result reference"}`;
  throw new MalletError("INVALID_SPEC", message, run.doc.locate(["spec"]));
}

// A volumeClaimTemplate gives the whole PipelineRun one fresh volume shared by its tasks.
function materializeClaimTemplates(
  bindings: WorkspaceBinding[],
  workDir: string,
): WorkspaceBinding[] {
  return bindings.map((binding) => {
    if (!binding.volumeClaimTemplate) return binding;
    const { volumeClaimTemplate: _t, ...rest } = binding;
    return { ...rest, hostPath: { path: makeDir(join(workDir, `claim-${binding.name}`)) } };
  });
}

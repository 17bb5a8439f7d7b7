import { MalletError } from "../core/errors.ts";
import type { Param } from "../core/model/common.ts";
import type {
  PipelineResource,
  PipelineRunResource,
  Resource,
  TaskResource,
  TaskRunResource,
} from "../core/model/resources.ts";
import type { WorkspaceBinding } from "../core/model/runs.ts";
import { parseParamFlags } from "./flags.ts";

export interface RunSelection {
  pipeline: string | undefined;
  task: string | undefined;
  params: string[];
  workspaces: WorkspaceBinding[];
}

type Run = TaskRunResource | PipelineRunResource;

/**
 * The runs to execute: the TaskRuns and PipelineRuns in the input, or else a run made from
 * the one Pipeline (or Task) given, with params and workspaces from the flags, as `tkn start`.
 */
export function selectRuns(resources: readonly Resource[], selection: RunSelection): Run[] {
  const wantsDefinition = selection.pipeline !== undefined || selection.task !== undefined;
  const runs = resources.filter((r): r is Run => r.kind === "TaskRun" || r.kind === "PipelineRun");
  if (runs.length > 0 && !wantsDefinition) return runs;

  const pipelines = resources.filter((r): r is PipelineResource => r.kind === "Pipeline");
  const tasks = resources.filter((r): r is TaskResource => r.kind === "Task");
  const pipeline = pick(pipelines, selection.pipeline, "Pipeline");
  if (pipeline && selection.task === undefined) return [pipelineRunFor(pipeline, selection)];
  const task = pick(tasks, selection.task, "Task");
  if (task) return [taskRunFor(task, selection)];
  throw new MalletError(
    "INPUT",
    "the input holds no TaskRun, PipelineRun, Pipeline or Task to run",
  );
}

function pick<T extends { name: string }>(
  items: T[],
  wanted: string | undefined,
  kind: string,
): T | undefined {
  if (wanted !== undefined) {
    const found = items.find((item) => item.name === wanted);
    if (!found) throw new MalletError("UNKNOWN_REF", `${kind} "${wanted}" is not in the input`);
    return found;
  }
  if (items.length > 1) {
    const names = items.map((item) => item.name).join(", ");
    const flag = kind === "Pipeline" ? "--pipeline" : "--task";
    throw new MalletError(
      "USAGE",
      `the input holds several ${kind}s (${names}); choose one with ${flag} NAME`,
    );
  }
  return items[0];
}

function pipelineRunFor(pipeline: PipelineResource, selection: RunSelection): PipelineRunResource {
  const params: Param[] = parseParamFlags(selection.params, pipeline.spec.params ?? []);
  return {
    kind: "PipelineRun",
    apiVersion: "tekton.dev/v1",
    name: `${pipeline.name}-run-`,
    metadata: { generateName: `${pipeline.name}-run-` },
    doc: pipeline.doc,
    specPath: ["spec"],
    spec: { pipelineRef: { name: pipeline.name }, params, workspaces: selection.workspaces },
  };
}

function taskRunFor(task: TaskResource, selection: RunSelection): TaskRunResource {
  const params: Param[] = parseParamFlags(selection.params, task.spec.params ?? []);
  return {
    kind: "TaskRun",
    apiVersion: "tekton.dev/v1",
    name: `${task.name}-run-`,
    metadata: { generateName: `${task.name}-run-` },
    doc: task.doc,
    specPath: ["spec"],
    spec: { taskRef: { name: task.name }, params, workspaces: selection.workspaces },
  };
}

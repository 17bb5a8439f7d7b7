import { stringify } from "yaml";
import type { Catalog } from "../core/catalog.ts";
import type { PipelineSpec, PipelineTask } from "../core/model/pipeline.ts";
import type { PipelineRunResource, TaskRunResource } from "../core/model/resources.ts";
import { buildPipelineGraph, graphLevels } from "../ui/graph-model.ts";
import { resolvePipelineRef, resolveTaskRef } from "./resolve-refs.ts";
import { planStandaloneTaskRun } from "./run-taskrun.ts";

type Run = TaskRunResource | PipelineRunResource;
type Doc = Record<string, unknown>;

/**
 * The run as a cluster would receive it, with the Task or Pipeline it refers to inlined
 * (`taskSpec`, `pipelineSpec`, and each pipeline task's `taskSpec`). `name` replaces a
 * `generateName` once the run is named.
 */
export function resolvedRunDocument(run: Run, catalog: Catalog, name?: string): Doc {
  const metadata =
    name === undefined ? run.metadata : { ...withoutGenerateName(run.metadata), name };
  const spec =
    run.kind === "TaskRun"
      ? resolvedTaskRunSpec(run, catalog)
      : resolvedPipelineRunSpec(run, catalog);
  return { apiVersion: "tekton.dev/v1", kind: run.kind, metadata, spec };
}

function withoutGenerateName(metadata: Run["metadata"]): Doc {
  const { generateName: _generated, ...rest } = metadata as Doc;
  return rest;
}

function resolvedTaskRunSpec(run: TaskRunResource, catalog: Catalog): Doc {
  const { taskRef, ...spec } = run.spec;
  if (!taskRef) return spec;
  return { ...spec, taskSpec: resolveTaskRef(taskRef, catalog, run.doc, ["spec", "taskRef"]).spec };
}

function resolvedPipelineRunSpec(run: PipelineRunResource, catalog: Catalog): Doc {
  const { pipelineRef, ...spec } = run.spec;
  const pipeline = pipelineSpecOf(run, catalog);
  const inline = (task: PipelineTask) => inlineTask(task, run, catalog);
  const pipelineSpec: PipelineSpec = {
    ...pipeline,
    ...(pipeline.tasks ? { tasks: pipeline.tasks.map(inline) } : {}),
    ...(pipeline.finally ? { finally: pipeline.finally.map(inline) } : {}),
  };
  return { ...spec, pipelineSpec };
}

function pipelineSpecOf(run: PipelineRunResource, catalog: Catalog): PipelineSpec {
  if (run.spec.pipelineSpec) return run.spec.pipelineSpec;
  return resolvePipelineRef(run.spec.pipelineRef ?? {}, catalog, run.doc, ["spec", "pipelineRef"])
    .spec;
}

function inlineTask(task: PipelineTask, run: PipelineRunResource, catalog: Catalog): PipelineTask {
  if (!task.taskRef) return task;
  const { taskRef, ...rest } = task;
  const resolved = resolveTaskRef(taskRef, catalog, run.doc, ["spec", "pipelineRef"]);
  return { ...rest, taskSpec: resolved.spec };
}

/** The plan of a run, as comment lines: a TaskRun's steps, or a pipeline's order by level. */
export function planLines(
  run: Run,
  catalog: Catalog,
  mapImage: (image: string) => string,
): string[] {
  if (run.kind === "TaskRun") return taskRunPlan(run, catalog, mapImage);
  const pipeline = pipelineSpecOf(run, catalog);
  const graph = buildPipelineGraph(run.name, pipeline);
  const levels = graphLevels(graph);
  const lines = [`plan: ${run.kind} ${run.name}`];
  const deepest = Math.max(0, ...levels.values());
  for (let level = 1; level <= deepest; level++) {
    const names = graph.nodes.filter((node) => levels.get(node.name) === level);
    lines.push(`  ${level}. ${names.map((node) => describe(node.name, node.notes)).join(", ")}`);
  }
  const finals = graph.nodes.filter((node) => node.isFinally);
  if (finals.length > 0)
    lines.push(`  finally: ${finals.map((node) => describe(node.name, node.notes)).join(", ")}`);
  return lines;
}

function describe(name: string, notes: readonly string[]): string {
  return notes.length === 0 ? name : `${name} (${notes.join("; ")})`;
}

function taskRunPlan(
  run: TaskRunResource,
  catalog: Catalog,
  mapImage: (image: string) => string,
): string[] {
  const plan = planStandaloneTaskRun(run, run.name, catalog);
  const lines = [`plan: ${run.kind} ${run.name}`];
  for (const sidecar of plan.sidecars)
    lines.push(`  sidecar ${sidecar.name}: ${mapImage(sidecar.image)}`);
  for (const step of plan.steps)
    lines.push(`  ${step.index + 1}. ${step.name}: ${mapImage(step.image)}`);
  return lines;
}

/** A document as YAML; shared specs are written out in full, not as YAML aliases. */
export function toYaml(doc: Doc): string {
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** `mallet run --dry-run`: each run as YAML, its plan as comments, `---` between runs. */
export function dryRunText(
  runs: readonly Run[],
  catalog: Catalog,
  mapImage: (image: string) => string,
): string {
  return runs
    .map((run) => {
      const yaml = toYaml(resolvedRunDocument(run, catalog));
      const plan = planLines(run, catalog, mapImage).map((line) => `# ${line}`);
      return `${yaml}${plan.join("\n")}\n`;
    })
    .join("---\n");
}

import type { PipelineSpec, PipelineTask } from "../core/model/pipeline.ts";
import { buildDag, type DagProblem } from "../core/pipeline/dag.ts";

/** A pipeline task as the graph shows it. */
export interface GraphNode {
  name: string;
  isFinally: boolean;
  /** Short facts drawn beside the name: the Task, retries, when, matrix. */
  notes: string[];
}

/** `from` runs before `to`, by `runAfter` or because `to` reads a result of `from`. */
export interface GraphEdge {
  from: string;
  to: string;
  via: "runAfter" | "result";
}

/** A pipeline's DAG and finally tasks, ready to draw. */
export interface PipelineGraph {
  name: string;
  /** DAG tasks in an order where parents come first, then finally tasks. */
  nodes: GraphNode[];
  edges: GraphEdge[];
  problems: DagProblem[];
}

/** Builds the graph of a pipeline spec (pure). */
export function buildPipelineGraph(name: string, spec: PipelineSpec): PipelineGraph {
  const tasks = spec.tasks ?? [];
  const { dag, problems } = buildDag(tasks);
  const edges: GraphEdge[] = [];
  for (const task of tasks) {
    for (const parent of dag.parents.get(task.name) ?? []) {
      const via = dag.resultParents.get(task.name)?.has(parent) ? "result" : "runAfter";
      edges.push({ from: parent, to: task.name, via });
    }
  }
  const ordered = problems.some((problem) => problem.kind === "cycle")
    ? tasks
    : topological(tasks, edges);
  const nodes = [
    ...ordered.map((task) => nodeOf(task, false)),
    ...(spec.finally ?? []).map((task) => nodeOf(task, true)),
  ];
  return { name, nodes, edges, problems };
}

function nodeOf(task: PipelineTask, isFinally: boolean): GraphNode {
  const notes: string[] = [];
  if (task.taskRef?.name) notes.push(`Task ${task.taskRef.name}`);
  if (task.matrix)
    notes.push(
      `matrix ${(task.matrix.params ?? []).map((param) => param.name).join("×") || "include"}`,
    );
  if (task.when?.length) notes.push("when");
  if (task.retries) notes.push(`retries ${task.retries}`);
  if (task.onError === "continue") notes.push("onError continue");
  return { name: task.name, isFinally, notes };
}

// Kahn's algorithm, taking ready tasks in declaration order so the drawing follows the file.
function topological(tasks: readonly PipelineTask[], edges: readonly GraphEdge[]): PipelineTask[] {
  const waiting = new Map(
    tasks.map((task) => [task.name, edges.filter((edge) => edge.to === task.name).length]),
  );
  const done: PipelineTask[] = [];
  while (done.length < tasks.length) {
    const next = tasks.find((task) => waiting.get(task.name) === 0);
    if (!next) break;
    waiting.set(next.name, -1);
    done.push(next);
    for (const edge of edges) {
      if (edge.from === next.name) waiting.set(edge.to, (waiting.get(edge.to) ?? 1) - 1);
    }
  }
  return done;
}

/** Each DAG task's level: 1 for tasks that wait for none, else one more than its parents'. */
export function graphLevels(graph: PipelineGraph): Map<string, number> {
  const levels = new Map<string, number>();
  for (const node of graph.nodes) {
    if (node.isFinally) continue;
    const parents = graph.edges
      .filter((edge) => edge.to === node.name)
      .map((edge) => levels.get(edge.from) ?? 0);
    levels.set(node.name, 1 + Math.max(0, ...parents));
  }
  return levels;
}

/** The tasks a task waits for, in drawing order. */
export function parentsOf(graph: PipelineGraph, name: string): string[] {
  return graph.edges.filter((edge) => edge.to === name).map((edge) => edge.from);
}

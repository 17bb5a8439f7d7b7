import type { PipelineTask } from "../model/pipeline.ts";
import { findResultReferences } from "./references.ts";

/** Each DAG task and the tasks it waits for, from runAfter and result references. */
export interface Dag {
  order: string[];
  parents: ReadonlyMap<string, ReadonlySet<string>>;
  /** Parents whose results the task reads (a subset of `parents`). */
  resultParents: ReadonlyMap<string, ReadonlySet<string>>;
}

export type DagProblem =
  | { kind: "unknown-task"; task: string; ref: string; via: "runAfter" | "result" }
  | { kind: "cycle"; tasks: string[] };

/** Builds the dependency graph of a pipeline's tasks, reporting unknown names and cycles. */
export function buildDag(tasks: readonly PipelineTask[]): { dag: Dag; problems: DagProblem[] } {
  const names = new Set(tasks.map((task) => task.name));
  const parents = new Map<string, Set<string>>();
  const resultParents = new Map<string, Set<string>>();
  const problems: DagProblem[] = [];
  for (const task of tasks) {
    const own = new Set<string>();
    const viaResults = new Set<string>();
    for (const ref of task.runAfter ?? []) {
      if (names.has(ref)) own.add(ref);
      else problems.push({ kind: "unknown-task", task: task.name, ref, via: "runAfter" });
    }
    const { name: _name, runAfter: _runAfter, ...rest } = task;
    for (const ref of findResultReferences(rest)) {
      if (names.has(ref.task)) {
        own.add(ref.task);
        viaResults.add(ref.task);
      } else problems.push({ kind: "unknown-task", task: task.name, ref: ref.task, via: "result" });
    }
    parents.set(task.name, own);
    resultParents.set(task.name, viaResults);
  }
  const cycle = findCycle(parents);
  if (cycle) problems.push({ kind: "cycle", tasks: cycle });
  return { dag: { order: tasks.map((task) => task.name), parents, resultParents }, problems };
}

function findCycle(parents: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "visiting");
    path.push(name);
    for (const parent of parents.get(name) ?? []) {
      const cycle = visit(parent);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of parents.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

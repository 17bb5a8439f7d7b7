import type { Dag } from "./dag.ts";
import { isTerminal, SkipReason, type TaskState } from "./state.ts";

/** What the scheduler wants done with a pending task. */
export type Decision =
  | { task: string; action: "start" }
  | { task: string; action: "skip"; reason: SkipReason };

/**
 * Decides, for every pending task whose parents have all ended, whether it may start or is
 * skipped. `stopping` is set once a task failed (or time ran out): nothing new starts then.
 */
export function decideNext(
  dag: Dag,
  states: ReadonlyMap<string, TaskState>,
  stopping: SkipReason | undefined,
): Decision[] {
  const decisions: Decision[] = [];
  for (const name of dag.order) {
    if (states.get(name)?.state !== "pending") continue;
    const parents = [...(dag.parents.get(name) ?? [])].map((parent) => states.get(parent));
    if (!parents.every((parent) => parent && isTerminal(parent))) continue;
    if (stopping) {
      decisions.push({ task: name, action: "skip", reason: stopping });
      continue;
    }
    const reason = cascadeReason(dag, states, name);
    if (reason) decisions.push({ task: name, action: "skip", reason });
    else decisions.push({ task: name, action: "start" });
  }
  return decisions;
}

// A task skipped by its own `when` lets runAfter dependants run; its result consumers are
// skipped for missing results. Any other skip cascades to every dependant.
function cascadeReason(dag: Dag, states: ReadonlyMap<string, TaskState>, name: string) {
  const resultParents = dag.resultParents.get(name) ?? new Set<string>();
  let reason: SkipReason | undefined;
  for (const parent of dag.parents.get(name) ?? []) {
    const state = states.get(parent);
    if (state?.state !== "skipped") continue;
    if (state.reason !== SkipReason.when) return SkipReason.parentSkipped;
    if (resultParents.has(parent)) reason = SkipReason.missingResults;
  }
  return reason;
}

/** True once every task has ended. */
export function allDone(states: ReadonlyMap<string, TaskState>): boolean {
  return [...states.values()].every(isTerminal);
}

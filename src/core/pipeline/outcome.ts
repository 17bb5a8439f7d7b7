import type { ParamValue } from "../model/common.ts";
import type { PipelineResult } from "../model/pipeline.ts";
import type { Vars } from "../subst/reference.ts";
import { substituteValue } from "../subst/substitute.ts";
import type { Condition, ResultValue } from "../status.ts";
import type { TaskState } from "./state.ts";

export interface PipelineEnd {
  name: string;
  states: ReadonlyMap<string, TaskState>;
  timedOut: string | undefined;
  cancelled: boolean;
}

/** The PipelineRun's condition, with Tekton's reasons and its "Tasks Completed" message. */
export function pipelineCondition(end: PipelineEnd): Condition {
  const states = [...end.states.values()];
  const failed = states.filter((task) => task.state === "failed" && !task.ignored).length;
  const completed = states.filter(
    (task) => task.state === "succeeded" || task.state === "failed",
  ).length;
  const skipped = states.filter((task) => task.state === "skipped").length;
  const summary = `Tasks Completed: ${completed} (Failed: ${failed}, Cancelled 0), Skipped: ${skipped}`;
  if (end.cancelled) {
    return {
      status: "False",
      reason: "Cancelled",
      message: `PipelineRun "${end.name}" was cancelled`,
    };
  }
  if (end.timedOut !== undefined) {
    return {
      status: "False",
      reason: "PipelineRunTimeout",
      message: `PipelineRun "${end.name}" failed to finish within "${end.timedOut}"`,
    };
  }
  if (failed > 0) return { status: "False", reason: "Failed", message: summary };
  if (skipped > 0) return { status: "True", reason: "Completed", message: summary };
  return { status: "True", reason: "Succeeded", message: summary };
}

/** Pipeline results whose references all resolve; the others are left out, as Tekton does. */
export function pipelineResults(specs: readonly PipelineResult[], vars: Vars): ResultValue[] {
  const results: ResultValue[] = [];
  for (const spec of specs) {
    const value: ParamValue = substituteValue(spec.value, vars);
    const text = JSON.stringify(value);
    if (text.includes("$(tasks.") || text.includes("$(finally.")) continue;
    results.push({ name: spec.name, value });
  }
  return results;
}

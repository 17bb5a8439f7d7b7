import type { ParamValue } from "../core/model/common.ts";
import type { StepPlan } from "../core/task/plan.ts";
import { substituteArray, substituteDeep, substituteString } from "../core/subst/substitute.ts";

/** Substitutes `$(steps.<step>.results.<r>)`, known only once earlier steps have run. */
export function applyStepResults(
  step: StepPlan,
  stepResults: ReadonlyMap<string, ParamValue>,
): StepPlan {
  if (stepResults.size === 0) return step;
  return {
    ...step,
    command: substituteArray(step.command, stepResults),
    args: substituteArray(step.args, stepResults),
    env: step.env.map(([key, value]) => [key, substituteString(value, stepResults)]),
    script: step.script === undefined ? undefined : substituteString(step.script, stepResults),
    when: substituteDeep(step.when, stepResults),
  };
}

/** Reads a step result file: arrays and objects are JSON, strings are kept verbatim. */
export function parseStepResult(text: string, type: string | undefined): ParamValue {
  if (type === "array" || type === "object") {
    try {
      return JSON.parse(text) as ParamValue;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Whether a step waits on an earlier step: it names `$(steps.…)` in what `applyStepResults`
 * substitutes, so its container can be made only once those steps have run.
 */
export function usesStepResults(step: StepPlan): boolean {
  const fields = [step.command, step.args, step.env, step.script, step.when];
  return /\$\(steps[.[]/.test(JSON.stringify(fields));
}

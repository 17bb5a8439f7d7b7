import type { ParamValue, Ref } from "../model/common.ts";
import type { Step } from "../model/step.ts";
import type { StepActionSpec } from "../model/task.ts";
import { paramVars, resolveParams } from "../subst/params.ts";
import { substituteDeep, substituteValue } from "../subst/substitute.ts";
import { PlanError } from "./plan.ts";

/**
 * Replaces a step's `ref` with the StepAction it names. The action sees only the params the
 * step passes to it (resolved against the Task's variables) and its own defaults.
 */
export function inlineStepAction(
  step: Step,
  lookup: (ref: Ref) => StepActionSpec | undefined,
  taskVars: ReadonlyMap<string, ParamValue>,
): Step {
  const ref = step.ref ?? {};
  const name = ref.resolver ? `from the ${ref.resolver} resolver` : `"${ref.name ?? ""}"`;
  const action = lookup(ref);
  if (!action) throw new PlanError("TaskRunResolutionFailed", `StepAction ${name} was not found`);

  const given = (step.params ?? []).map((param) => ({
    name: param.name,
    value: substituteValue(param.value, taskVars),
  }));
  const { values, problems } = resolveParams(action.params ?? [], given);
  if (problems[0])
    throw new PlanError("TaskRunValidationFailed", `StepAction ${name}: ${problems[0].message}`);
  const body = substituteDeep(forwardStepResults(action, values), paramVars(values));

  const { ref: _ref, params: _params, ...own } = step;
  return {
    ...own,
    ...(body.image === undefined ? {} : { image: body.image }),
    ...(body.command === undefined ? {} : { command: body.command }),
    ...(body.args === undefined ? {} : { args: body.args }),
    ...(body.script === undefined ? {} : { script: body.script }),
    ...(body.workingDir === undefined ? {} : { workingDir: body.workingDir }),
    ...(body.env === undefined ? {} : { env: body.env as Step["env"] }),
    ...(body.securityContext === undefined ? {} : { securityContext: body.securityContext }),
    ...(body.volumeMounts === undefined
      ? {}
      : { volumeMounts: body.volumeMounts as Step["volumeMounts"] }),
    ...(body.results === undefined ? {} : { results: body.results }),
  };
}

const STEP_RESULT = /^\$\((steps\.[^()$[\]]+)(\[\*\])?\)$/;

// A param given a previous step's result (`$(steps.s.results.r[*])`) is known only when the
// step runs: the action's `$(params.p...)` are rewritten to that reference, to be substituted
// just before the step starts, with their index or key kept.
function forwardStepResults(
  action: StepActionSpec,
  values: Map<string, ParamValue>,
): StepActionSpec {
  const forwards = new Map<string, string>();
  for (const [param, value] of values) {
    const match = typeof value === "string" ? STEP_RESULT.exec(value.trim()) : null;
    if (match) forwards.set(param, match[1] as string);
  }
  if (forwards.size === 0) return action;
  let text = JSON.stringify(action);
  for (const [param, target] of forwards) {
    values.delete(param);
    const escaped = param.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(new RegExp(`\\$\\(params\\.${escaped}(?=[).[])`, "g"), `$(${target}`);
  }
  return JSON.parse(text) as StepActionSpec;
}

import type { ParamValue } from "../model/common.ts";
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
  lookup: (name: string) => StepActionSpec | undefined,
  taskVars: ReadonlyMap<string, ParamValue>,
): Step {
  const name = step.ref?.name ?? "";
  const action = lookup(name);
  if (!action) throw new PlanError("TaskRunResolutionFailed", `StepAction "${name}" was not found`);

  const given = (step.params ?? []).map((param) => ({
    name: param.name,
    value: substituteValue(param.value, taskVars),
  }));
  const { values, problems } = resolveParams(action.params ?? [], given);
  if (problems[0])
    throw new PlanError("TaskRunValidationFailed", `StepAction "${name}": ${problems[0].message}`);
  const body = substituteDeep(action, paramVars(values));

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

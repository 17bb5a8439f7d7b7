import type { EnvVar, Step, StepTemplate, VolumeMount } from "../model/step.ts";

/**
 * Merges a stepTemplate under a step: the step's fields win, env merges by name and
 * volumeMounts by mountPath; command and args are replaced, never concatenated.
 */
export function applyStepTemplate(template: StepTemplate | undefined, step: Step): Step {
  if (!template) return step;
  const merged: Step = { ...template, ...step };
  const env = mergeBy(template.env, step.env, (item: EnvVar) => item.name);
  const mounts = mergeBy(template.volumeMounts, step.volumeMounts, (m: VolumeMount) => m.mountPath);
  if (env) merged.env = env;
  if (mounts) merged.volumeMounts = mounts;
  // A step with a script must not inherit the template's command.
  if (step.script !== undefined && step.command === undefined) delete merged.command;
  return merged;
}

function mergeBy<T>(base: T[] | undefined, own: T[] | undefined, key: (item: T) => string) {
  if (!base) return own;
  if (!own) return base;
  const ownKeys = new Set(own.map(key));
  return [...base.filter((item) => !ownKeys.has(key(item))), ...own];
}

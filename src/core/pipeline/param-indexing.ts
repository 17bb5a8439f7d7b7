import type { ParamValue } from "../model/common.ts";
import type { PipelineSpec } from "../model/pipeline.ts";
import { paramVars } from "../subst/params.ts";
import { SubstitutionError } from "../subst/reference.ts";
import { substituteDeep } from "../subst/substitute.ts";

/**
 * Checks, before any task runs, that every `$(params.x[i])` in the pipeline tasks' params,
 * when and matrix names an item the array has; returns the problem, as Tekton fails the
 * PipelineRun with `ParamArrayIndexingInvalid` up front.
 */
export function checkParamIndexing(
  spec: PipelineSpec,
  params: ReadonlyMap<string, ParamValue>,
): string | undefined {
  const vars = paramVars(params);
  const fields = [...(spec.tasks ?? []), ...(spec.finally ?? [])].map((task) => [
    task.params,
    task.when,
    task.matrix,
  ]);
  try {
    substituteDeep(fields, vars);
    return undefined;
  } catch (error) {
    if (error instanceof SubstitutionError) return error.message;
    throw error;
  }
}

// What a TaskRun leaves: its step and Task results read from the run directories, and its status.
import { join } from "node:path";
import type { TaskKey } from "../core/events.ts";
import type { ParamValue } from "../core/model/common.ts";
import type { StepStatus, TaskRunStatus } from "../core/status.ts";
import type { StepPlan, TaskPlan } from "../core/task/plan.ts";
import {
  parseResults,
  RESULTS_SIZE_LIMIT,
  RESULTS_TOO_LARGE,
  type ResultsOutcome,
} from "../core/task/results.ts";
import { substituteDeep } from "../core/subst/substitute.ts";
import { readContainerFile, type TaskDirs } from "./host-dirs.ts";
import { parseStepResult } from "./step-runtime.ts";
import type { Failure } from "./task-runner.ts";

export function readStepResults(
  step: StepPlan,
  dirs: TaskDirs,
  into: Map<string, ParamValue>,
): void {
  for (const result of step.results) {
    const path = join(dirs.steps, step.containerName, "results", result.name);
    const file = readContainerFile(path, RESULTS_SIZE_LIMIT);
    if (!file) continue;
    if (file.truncated) throw new ResultsTooLargeError(RESULTS_TOO_LARGE);
    into.set(`steps.${step.name}.results.${result.name}`, parseStepResult(file.text, result.type));
  }
}

export class ResultsTooLargeError extends Error {}

// Result files are read only up to the limit: a step that writes gigabytes costs nothing.
export function collectResults(plan: TaskPlan, dirs: TaskDirs): ResultsOutcome {
  try {
    return readResults(plan, dirs);
  } catch (error) {
    const reason =
      error instanceof ResultsTooLargeError
        ? "TaskRunResultLargerThanAllowedLimit"
        : "TaskRunValidationFailed";
    return { ok: false, reason, message: (error as Error).message, results: [] };
  }
}

export function readResults(plan: TaskPlan, dirs: TaskDirs): ResultsOutcome {
  const raw = new Map<string, string>();
  const stepResults = new Map<string, ParamValue>();
  for (const step of plan.steps) readStepResults(step, dirs, stepResults);
  for (const result of plan.results) {
    const file = readContainerFile(join(dirs.results, result.name), RESULTS_SIZE_LIMIT);
    if (file?.truncated) throw new ResultsTooLargeError(RESULTS_TOO_LARGE);
    if (file) raw.set(result.name, file.text);
    else if (result.value !== undefined) {
      const value = substituteDeep(result.value, stepResults);
      if (!JSON.stringify(value).includes("$("))
        raw.set(result.name, typeof value === "string" ? value : JSON.stringify(value));
    }
  }
  return parseResults(plan.results, raw);
}

export function buildStatus(
  key: TaskKey,
  retryCount: number,
  startTime: string,
  steps: StepStatus[],
  results: TaskRunStatus["results"],
  failure: Failure | undefined,
): TaskRunStatus {
  const condition = failure
    ? { status: "False" as const, reason: failure.reason, message: failure.message }
    : {
        status: "True" as const,
        reason: "Succeeded",
        message: "All Steps have completed executing",
      };
  return {
    name: key.taskRun,
    pipelineTask: key.task === key.taskRun ? undefined : key.task,
    condition,
    steps,
    results,
    retryCount,
    startTime,
    completionTime: new Date().toISOString(),
  };
}

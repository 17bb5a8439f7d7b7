import type { Catalog } from "../core/catalog.ts";
import { parseDuration } from "../core/duration.ts";
import { MalletError } from "../core/errors.ts";
import type { TaskRunResource } from "../core/model/resources.ts";
import type { RunStatus } from "../core/status.ts";
import { planTask } from "../core/task/plan-task.ts";
import { PlanError, type TaskPlan } from "../core/task/plan.ts";
import { SubstitutionError } from "../core/subst/reference.ts";
import { declareReferencedWorkspaces } from "../core/task/implicit-workspaces.ts";
import { runParamVars } from "../resolve/lookup.ts";
import { taskPlanInput } from "./plan-input.ts";
import { resolveTaskRef } from "./resolve-refs.ts";
import { runTaskRun, type TaskRunContext } from "./task-runner.ts";

const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;

/** Runs a standalone TaskRun document and reports its final status. */
export async function executeTaskRun(
  run: TaskRunResource,
  name: string,
  catalog: Catalog,
  ctx: TaskRunContext,
): Promise<RunStatus> {
  const startTime = new Date().toISOString();
  const plan = planStandaloneTaskRun(run, name, catalog);
  const timeout =
    run.spec.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(run.spec.timeout);
  const key = { task: name, taskRun: name };
  ctx.emit({ kind: "run-started", run: name, type: "TaskRun", tasks: [name], finally: [] });
  ctx.emit({
    kind: "task-started",
    ...key,
    attempt: 0,
    steps: plan.steps.map((step) => step.name),
    finally: false,
  });
  const started = Date.now();
  const outcome = await runTaskRun(
    { plan, key, timeoutMs: timeout || undefined, retryCount: 0 },
    ctx,
  );
  ctx.emit({
    kind: "task-finished",
    ...key,
    status: outcome.status,
    durationMs: Date.now() - started,
    willRetry: false,
  });
  return {
    kind: "TaskRun",
    name,
    condition: outcome.status.condition,
    taskRuns: [outcome.status],
    skippedTasks: [],
    results: outcome.status.results,
    startTime,
    completionTime: new Date().toISOString(),
  };
}

/** Plans a standalone TaskRun (for running it, or for `--dry-run`); input errors throw. */
export function planStandaloneTaskRun(
  run: TaskRunResource,
  name: string,
  catalog: Catalog,
): TaskPlan {
  const { spec, taskName } = taskSpecOf(run, name, catalog);
  return planOrThrow(run, () =>
    planTask(
      taskPlanInput(
        {
          taskRunName: name,
          taskName,
          spec,
          params: run.spec.params ?? [],
          workspaces: run.spec.workspaces ?? [],
          context: new Map(),
          retryCount: 0,
          serviceAccountName: run.spec.serviceAccountName,
          podTemplate: run.spec.podTemplate,
        },
        catalog,
      ),
    ),
  );
}

function taskSpecOf(run: TaskRunResource, name: string, catalog: Catalog) {
  if (run.spec.taskSpec) {
    const available = (run.spec.workspaces ?? []).map((binding) => binding.name);
    return { spec: declareReferencedWorkspaces(run.spec.taskSpec, available), taskName: name };
  }
  if (!run.spec.taskRef) {
    throw new MalletError(
      "INVALID_SPEC",
      "TaskRun needs taskRef or taskSpec",
      run.doc.locate(["spec"]),
    );
  }
  const resolved = resolveTaskRef(
    run.spec.taskRef,
    catalog,
    run.doc,
    ["spec", "taskRef"],
    runParamVars(run.spec.params),
  );
  return { spec: resolved.spec, taskName: resolved.name };
}

/** Planning problems of a top-level run are input errors: reported with the run's location. */
export function planOrThrow(
  run: { doc: TaskRunResource["doc"]; specPath: readonly (string | number)[] },
  plan: () => TaskPlan,
): TaskPlan {
  try {
    return plan();
  } catch (error) {
    if (error instanceof PlanError || error instanceof SubstitutionError) {
      const code = error.message.startsWith("missing value") ? "MISSING_PARAM" : "INVALID_SPEC";
      throw new MalletError(code, error.message, run.doc.locate([...run.specPath, "params"]));
    }
    throw error;
  }
}

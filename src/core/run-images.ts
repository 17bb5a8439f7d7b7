import type { Catalog } from "./catalog.ts";
import type { PipelineTask } from "./model/pipeline.ts";
import type { PipelineRunResource, TaskRunResource } from "./model/resources.ts";
import type { TaskSpec } from "./model/task.ts";

export type StepPullPolicy = "Always" | "IfNotPresent" | "Never";

/** An image a run needs, the pull policy its containers ask for, and the tasks needing it. */
export interface NeededImage {
  image: string;
  policy: StepPullPolicy | undefined;
  /** Pipeline task names, or the TaskRun's own name. */
  tasks: string[];
}

/** The images of a whole run, and its task names, for pulling them all before it starts. */
export interface RunImages {
  images: NeededImage[];
  tasks: string[];
  finally: string[];
}

/**
 * Every image the steps and sidecars of a run name, read from the documents before any task
 * runs. An image given by a variable (`$(params.image)`) is known only when its task is
 * planned, so it is left out here and pulled then; so are tasks the catalog cannot resolve.
 */
export function collectRunImages(
  run: TaskRunResource | PipelineRunResource,
  name: string,
  catalog: Catalog,
): RunImages {
  const found = new Map<string, NeededImage>();
  if (run.kind === "TaskRun") {
    const spec = run.spec.taskSpec ?? catalog.task(run.spec.taskRef?.name ?? "")?.spec;
    if (spec) addTaskImages(found, spec, name, catalog);
    return { images: [...found.values()], tasks: [name], finally: [] };
  }
  const pipeline =
    run.spec.pipelineSpec ?? catalog.pipeline(run.spec.pipelineRef?.name ?? "")?.spec;
  const tasks = pipeline?.tasks ?? [];
  const finallyTasks = pipeline?.finally ?? [];
  for (const task of [...tasks, ...finallyTasks]) {
    const spec = taskSpecOf(task, catalog);
    if (spec) addTaskImages(found, spec, task.name, catalog);
  }
  return {
    images: [...found.values()],
    tasks: tasks.map((task) => task.name),
    finally: finallyTasks.map((task) => task.name),
  };
}

function taskSpecOf(task: PipelineTask, catalog: Catalog): TaskSpec | undefined {
  if (task.taskSpec) return task.taskSpec;
  if (!task.taskRef || task.taskRef.resolver) return undefined;
  return catalog.task(task.taskRef.name ?? "")?.spec;
}

function addTaskImages(
  found: Map<string, NeededImage>,
  spec: TaskSpec,
  task: string,
  catalog: Catalog,
): void {
  const template = spec.stepTemplate;
  for (const step of spec.steps) {
    const action =
      step.ref && !step.ref.resolver ? catalog.stepAction(step.ref.name ?? "") : undefined;
    const image = action?.spec.image ?? step.image ?? template?.image;
    add(found, image, step.imagePullPolicy ?? template?.imagePullPolicy, task);
  }
  for (const sidecar of spec.sidecars ?? [])
    add(found, sidecar.image, sidecar.imagePullPolicy, task);
}

function add(
  found: Map<string, NeededImage>,
  image: string | undefined,
  policy: StepPullPolicy | undefined,
  task: string,
): void {
  if (!image || image.includes("$(")) return;
  const known = found.get(image);
  if (!known) {
    found.set(image, { image, policy, tasks: [task] });
    return;
  }
  known.policy = strongerPolicy(known.policy, policy);
  if (!known.tasks.includes(task)) known.tasks.push(task);
}

/** When containers disagree, the image is pulled as the most eager of them asks. */
export function strongerPolicy(
  a: StepPullPolicy | undefined,
  b: StepPullPolicy | undefined,
): StepPullPolicy | undefined {
  if (a === "Always" || b === "Always") return "Always";
  if (a === "Never" && b === "Never") return "Never";
  if (a === "Never") return b;
  if (b === "Never") return a;
  return a ?? b;
}

import type { TektonKind } from "../model/resources.ts";

type Obj = Record<string, unknown>;

/** Maps a v1beta1 spec onto v1's field names, as Tekton's conversion webhook does. */
export function convertV1beta1(kind: TektonKind, spec: unknown): unknown {
  if (!isObj(spec)) return spec;
  const out: Obj = { ...spec };
  if (kind === "Task") return convertTaskSpec(out);
  if (kind === "Pipeline") return convertPipelineSpec(out);
  if (kind === "TaskRun") return convertTaskRunSpec(out);
  if (kind === "PipelineRun") return convertPipelineRunSpec(out);
  return out;
}

function convertTaskSpec(spec: Obj): Obj {
  delete spec.resources;
  if (Array.isArray(spec.steps)) spec.steps = spec.steps.map(convertContainer);
  if (Array.isArray(spec.sidecars)) spec.sidecars = spec.sidecars.map(convertContainer);
  if (isObj(spec.stepTemplate)) spec.stepTemplate = convertContainer(spec.stepTemplate);
  return spec;
}

function convertContainer(container: unknown): unknown {
  if (!isObj(container)) return container;
  const out: Obj = { ...container };
  rename(out, "resources", "computeResources");
  return out;
}

function convertPipelineSpec(spec: Obj): Obj {
  delete spec.resources;
  for (const key of ["tasks", "finally"]) {
    const tasks = spec[key];
    if (Array.isArray(tasks)) spec[key] = tasks.map(convertPipelineTask);
  }
  return spec;
}

function convertPipelineTask(task: unknown): unknown {
  if (!isObj(task)) return task;
  const out: Obj = { ...task };
  delete out.resources;
  if (isObj(out.taskSpec)) out.taskSpec = convertTaskSpec({ ...out.taskSpec });
  if (isObj(out.taskRef)) out.taskRef = convertRef(out.taskRef);
  return out;
}

// v1beta1's `bundle` field became the bundles resolver in v1.
function convertRef(ref: Obj): Obj {
  if (typeof ref.bundle !== "string") return ref;
  const { bundle, name, kind, ...rest } = ref;
  const params = [
    { name: "bundle", value: bundle },
    { name: "name", value: name },
    { name: "kind", value: kind ?? "Task" },
  ];
  return { ...rest, resolver: "bundles", params };
}

function convertTaskRunSpec(spec: Obj): Obj {
  delete spec.resources;
  rename(spec, "stepOverrides", "stepSpecs");
  rename(spec, "sidecarOverrides", "sidecarSpecs");
  if (isObj(spec.taskSpec)) spec.taskSpec = convertTaskSpec({ ...spec.taskSpec });
  if (isObj(spec.taskRef)) spec.taskRef = convertRef(spec.taskRef);
  return spec;
}

function convertPipelineRunSpec(spec: Obj): Obj {
  delete spec.resources;
  if (spec.timeout !== undefined) {
    spec.timeouts = { ...(isObj(spec.timeouts) ? spec.timeouts : {}), pipeline: spec.timeout };
    delete spec.timeout;
  }
  const template: Obj = {};
  if (spec.serviceAccountName !== undefined) template.serviceAccountName = spec.serviceAccountName;
  if (spec.podTemplate !== undefined) template.podTemplate = spec.podTemplate;
  delete spec.serviceAccountName;
  delete spec.podTemplate;
  if (Object.keys(template).length > 0) spec.taskRunTemplate = template;
  if (Array.isArray(spec.taskRunSpecs))
    spec.taskRunSpecs = spec.taskRunSpecs.map(convertTaskRunSpecs);
  if (isObj(spec.pipelineSpec)) spec.pipelineSpec = convertPipelineSpec({ ...spec.pipelineSpec });
  return spec;
}

function convertTaskRunSpecs(entry: unknown): unknown {
  if (!isObj(entry)) return entry;
  const out: Obj = { ...entry };
  rename(out, "taskServiceAccountName", "serviceAccountName");
  rename(out, "taskPodTemplate", "podTemplate");
  rename(out, "stepOverrides", "stepSpecs");
  rename(out, "sidecarOverrides", "sidecarSpecs");
  return out;
}

function rename(obj: Obj, from: string, to: string): void {
  if (!(from in obj)) return;
  obj[to] = obj[from];
  delete obj[from];
}

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

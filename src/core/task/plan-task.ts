import { parseDuration } from "../duration.ts";
import type { Param, ParamValue, Ref, ResultSpec } from "../model/common.ts";
import type { WorkspaceBinding } from "../model/runs.ts";
import type { Sidecar, Step } from "../model/step.ts";
import type { StepActionSpec, TaskSpec } from "../model/task.ts";
import { paramVars, resolveParams } from "../subst/params.ts";
import { substituteDeep } from "../subst/substitute.ts";
import { expandKubernetesVars, resolveEnv } from "./env.ts";
import type { ContainerPlan, CredentialFile, SidecarPlan, StepPlan, TaskPlan } from "./plan.ts";
import { PlanError } from "./plan.ts";
import { containerMounts, planWorkspaces, sourceOf, type WorkspaceMount } from "./plan-mounts.ts";
import { checkPlanSafety } from "./safety.ts";
import { inlineStepAction } from "./step-action.ts";
import { applyStepTemplate } from "./step-template.ts";
import { type DataLookup, type VolumeSource, volumeSource } from "./volumes.ts";

export { PlanError } from "./plan.ts";

export interface TaskPlanInput {
  taskRunName: string;
  taskName: string;
  spec: TaskSpec;
  params: readonly Param[];
  workspaces: readonly WorkspaceBinding[];
  /** Context variables (`context.taskRun.name`, ...) already keyed by their full name. */
  context: ReadonlyMap<string, string>;
  lookupData: DataLookup;
  /** The StepAction a step's `ref` names (by name, or as its resolver answered). */
  lookupStepAction: (ref: Ref) => StepActionSpec | undefined;
  /** `podTemplate.securityContext.runAsUser`, the default user of every step. */
  runAsUser: string | undefined;
  /** `podTemplate.volumes`: volumes the run adds to the pod beside the Task's own. */
  podVolumes: ReadonlyArray<Record<string, unknown>>;
  credentials: CredentialFile[];
}

export const RESULTS_DIR = "/tekton/results";
export const STEPS_DIR = "/tekton/steps";

/** Resolves params, step templates, StepActions, workspaces and volumes into a TaskPlan. */
export function planTask(input: TaskPlanInput): TaskPlan {
  const { spec } = input;
  const params = resolveTaskParams(input);
  const workspaceVars = new Map<string, ParamValue>();
  const volumes = new Map<string, VolumeSource>();
  const workspaceMounts = planWorkspaces(input, workspaceVars, volumes);
  planTaskVolumes(input, volumes);

  const steps = spec.steps.map((step, index) => stepName(step, index));
  const vars = new Map<string, ParamValue>([
    ...paramVars(params),
    ...input.context,
    ...workspaceVars,
  ]);
  for (const result of spec.results ?? [])
    vars.set(`results.${result.name}.path`, `${RESULTS_DIR}/${result.name}`);
  for (const name of steps)
    vars.set(`steps.step-${name}.exitCode.path`, `${STEPS_DIR}/step-${name}/exitCode`);
  vars.set("credentials.path", "/tekton/creds");

  const template = spec.stepTemplate ? substituteDeep(spec.stepTemplate, vars) : undefined;
  const planned = spec.steps.map((raw, index) => {
    const inlined = raw.ref ? inlineStepAction(raw, input.lookupStepAction, vars) : raw;
    return planStep(
      applyStepTemplate(template, inlined),
      index,
      steps[index] as string,
      vars,
      input,
      workspaceMounts,
    );
  });
  const sidecars = (spec.sidecars ?? []).map((sidecar, index) =>
    planSidecar(sidecar, index, vars, input, workspaceMounts),
  );
  const results = (spec.results ?? []).map((result) => substituteDeep(result, vars) as ResultSpec);
  checkMountedVolumes([...planned, ...sidecars], volumes);
  const plan = {
    taskRunName: input.taskRunName,
    steps: planned,
    sidecars,
    volumes,
    results,
    credentials: input.credentials,
  };
  checkPlanSafety(plan);
  return plan;
}

function checkMountedVolumes(containers: ContainerPlan[], volumes: Map<string, VolumeSource>) {
  for (const container of containers) {
    const missing = container.mounts.find((mount) => !volumes.has(mount.volume));
    if (missing) {
      const name = missing.volume;
      throw new PlanError(
        "TaskRunValidationFailed",
        `${container.containerName} mounts volume "${name}", which the Task does not declare`,
      );
    }
  }
}

function resolveTaskParams(input: TaskPlanInput): Map<string, ParamValue> {
  const { values, problems } = resolveParams(input.spec.params ?? [], input.params, input.context);
  const problem = problems[0];
  if (problem) {
    const reason =
      problem.code === "MISSING_PARAM" ? "TaskRunValidationFailed" : "InvalidParamValue";
    throw new PlanError(reason, problem.message);
  }
  return values;
}

function stepName(step: Step, index: number): string {
  return step.name ?? `unnamed-${index}`;
}

function planTaskVolumes(input: TaskPlanInput, volumes: Map<string, VolumeSource>): void {
  const vars = paramVars(resolveTaskParams(input));
  for (const volume of [...input.podVolumes, ...(input.spec.volumes ?? [])]) {
    const resolved = substituteDeep(volume, vars);
    volumes.set(
      String(volume.name),
      sourceOf(() => volumeSource(resolved, input.lookupData)),
    );
  }
}

function planStep(
  raw: Step,
  index: number,
  name: string,
  taskVars: ReadonlyMap<string, ParamValue>,
  input: TaskPlanInput,
  workspaces: WorkspaceMount[],
): StepPlan {
  const vars = new Map(taskVars);
  for (const result of raw.results ?? []) {
    vars.set(
      `step.results.${result.name}.path`,
      `${STEPS_DIR}/step-${name}/results/${result.name}`,
    );
  }
  const step = substituteDeep(raw, vars);
  const container = planContainer(step, `step-${name}`, name, input, workspaces);
  const timeoutMs = step.timeout === undefined ? undefined : parseDuration(step.timeout);
  return {
    ...container,
    index,
    onError: step.onError === "continue" ? "continue" : "stopAndFail",
    timeoutMs: timeoutMs === 0 ? undefined : timeoutMs,
    when: step.when ?? [],
    results: step.results ?? [],
    stdoutPath: step.stdoutConfig?.path,
    stderrPath: step.stderrConfig?.path,
  };
}

function planSidecar(
  raw: Sidecar,
  index: number,
  vars: ReadonlyMap<string, ParamValue>,
  input: TaskPlanInput,
  workspaces: WorkspaceMount[],
): SidecarPlan {
  const sidecar = substituteDeep(raw, vars);
  const name = sidecar.name ?? `unnamed-${index}`;
  const container = planContainer(sidecar, `sidecar-${name}`, name, input, workspaces);
  return { ...container, readiness: readinessOf(sidecar.readinessProbe) };
}

function readinessOf(probe: Record<string, unknown> | undefined): SidecarPlan["readiness"] {
  const exec = probe?.exec as { command?: unknown } | undefined;
  if (!exec || !Array.isArray(exec.command)) return undefined;
  const period = typeof probe?.periodSeconds === "number" ? probe.periodSeconds * 1000 : 1000;
  return { command: exec.command.map(String), periodMs: period };
}

function planContainer(
  container: Step | Sidecar,
  containerName: string,
  name: string,
  input: TaskPlanInput,
  workspaces: WorkspaceMount[],
): ContainerPlan {
  if (!container.image) {
    throw new PlanError("TaskRunValidationFailed", `${containerName} has no image`);
  }
  const fields = { "metadata.name": input.taskRunName, "metadata.namespace": "default" };
  const env = sourceOfEnv(() =>
    resolveEnv(container.env, container.envFrom, input.lookupData, fields),
  );
  const envMap = new Map(env);
  const expand = (items: string[] | undefined) =>
    (items ?? []).map((item) => expandKubernetesVars(item, envMap));
  return {
    containerName,
    name,
    image: container.image,
    command: expand(container.command),
    args: expand(container.args),
    script: container.script,
    env,
    workingDir: container.workingDir,
    mounts: containerMounts(container, workspaces),
    user: runAsUser(container.securityContext) ?? input.runAsUser,
    imagePullPolicy: container.imagePullPolicy,
  };
}

function sourceOfEnv(make: () => Array<[string, string]>): Array<[string, string]> {
  try {
    return make();
  } catch (error) {
    throw new PlanError("CreateContainerConfigError", (error as Error).message);
  }
}

function runAsUser(securityContext: Record<string, unknown> | undefined): string | undefined {
  const user = securityContext?.runAsUser;
  if (user === undefined) return undefined;
  const group = securityContext?.runAsGroup;
  return group === undefined ? String(user) : `${String(user)}:${String(group)}`;
}

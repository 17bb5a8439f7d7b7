import { randomUUID } from "node:crypto";
import type { Catalog } from "../core/catalog.ts";
import type { Param } from "../core/model/common.ts";
import type { DataResource } from "../core/model/resources.ts";
import type { WorkspaceBinding } from "../core/model/runs.ts";
import type { TaskSpec } from "../core/model/task.ts";
import { credentialFiles } from "../core/task/credentials.ts";
import type { TaskPlanInput } from "../core/task/plan-task.ts";
import { lookupStepAction } from "./resolve-refs.ts";

export interface PlanRequest {
  taskRunName: string;
  taskName: string;
  spec: TaskSpec;
  params: readonly Param[];
  workspaces: readonly WorkspaceBinding[];
  /** Context of the enclosing PipelineRun, if any (`context.pipelineRun.*`, ...). */
  context: ReadonlyMap<string, string>;
  retryCount: number;
  serviceAccountName: string | undefined;
  podTemplate: Record<string, unknown> | undefined;
}

/** Gathers what planning a TaskRun needs from the catalog: data, StepActions, credentials. */
export function taskPlanInput(request: PlanRequest, catalog: Catalog): TaskPlanInput {
  const context = new Map(request.context);
  context.set("context.taskRun.name", request.taskRunName);
  context.set("context.taskRun.namespace", "default");
  context.set("context.taskRun.uid", randomUUID());
  context.set("context.task.name", request.taskName);
  context.set("context.task.retry-count", String(request.retryCount));
  const securityContext = request.podTemplate?.securityContext as
    | Record<string, unknown>
    | undefined;
  const runAsUser = securityContext?.runAsUser;
  return {
    taskRunName: request.taskRunName,
    taskName: request.taskName,
    spec: request.spec,
    params: request.params,
    workspaces: request.workspaces,
    context,
    lookupData: (kind, name) => catalog.data(kind, name)?.data,
    lookupStepAction: (ref) => lookupStepAction(ref, catalog),
    runAsUser: runAsUser === undefined ? undefined : String(runAsUser),
    podVolumes: Array.isArray(request.podTemplate?.volumes)
      ? (request.podTemplate.volumes as Array<Record<string, unknown>>)
      : [],
    credentials: credentialFiles(serviceAccountSecrets(request.serviceAccountName, catalog)),
  };
}

function serviceAccountSecrets(name: string | undefined, catalog: Catalog): DataResource[] {
  const account = catalog.serviceAccount(name ?? "default");
  if (!account) return [];
  return account.secrets.flatMap((secret) => catalog.data("Secret", secret) ?? []);
}

import * as v from "valibot";
import { DurationSchema, OpaqueSchema, ParamSchema, RefSchema } from "./common.ts";
import { PipelineSpecSchema } from "./pipeline.ts";
import { ContainerOverrideSchema } from "./step.ts";
import { TaskSpecSchema } from "./task.ts";

/** How a run binds a workspace: one volume source per binding. */
export const WorkspaceBindingSchema = v.strictObject({
  name: v.string(),
  subPath: v.optional(v.string()),
  emptyDir: v.optional(OpaqueSchema),
  configMap: v.optional(OpaqueSchema),
  secret: v.optional(OpaqueSchema),
  persistentVolumeClaim: v.optional(OpaqueSchema),
  volumeClaimTemplate: v.optional(OpaqueSchema),
  projected: v.optional(OpaqueSchema),
  csi: v.optional(OpaqueSchema),
  /** Mallet only: a host directory (from `-w name=x,path=DIR`); never in YAML from a cluster. */
  hostPath: v.optional(OpaqueSchema),
});
export type WorkspaceBinding = v.InferOutput<typeof WorkspaceBindingSchema>;

const PodTemplateSchema = OpaqueSchema;

export const TaskRunSpecSchema = v.strictObject({
  params: v.optional(v.array(ParamSchema)),
  taskRef: v.optional(RefSchema),
  taskSpec: v.optional(TaskSpecSchema),
  workspaces: v.optional(v.array(WorkspaceBindingSchema)),
  serviceAccountName: v.optional(v.string()),
  timeout: v.optional(DurationSchema),
  podTemplate: v.optional(PodTemplateSchema),
  status: v.optional(v.string()),
  statusMessage: v.optional(v.string()),
  retries: v.optional(v.number()),
  stepSpecs: v.optional(v.array(ContainerOverrideSchema)),
  sidecarSpecs: v.optional(v.array(ContainerOverrideSchema)),
  computeResources: v.optional(OpaqueSchema),
  debug: v.optional(OpaqueSchema),
  managedBy: v.optional(v.string()),
});
export type TaskRunSpec = v.InferOutput<typeof TaskRunSpecSchema>;

export const PipelineTaskRunSpecSchema = v.strictObject({
  pipelineTaskName: v.string(),
  serviceAccountName: v.optional(v.string()),
  podTemplate: v.optional(PodTemplateSchema),
  stepSpecs: v.optional(v.array(ContainerOverrideSchema)),
  sidecarSpecs: v.optional(v.array(ContainerOverrideSchema)),
  metadata: v.optional(OpaqueSchema),
  computeResources: v.optional(OpaqueSchema),
  timeout: v.optional(DurationSchema),
});

export const PipelineRunSpecSchema = v.strictObject({
  params: v.optional(v.array(ParamSchema)),
  pipelineRef: v.optional(RefSchema),
  pipelineSpec: v.optional(PipelineSpecSchema),
  workspaces: v.optional(v.array(WorkspaceBindingSchema)),
  timeouts: v.optional(
    v.strictObject({
      pipeline: v.optional(DurationSchema),
      tasks: v.optional(DurationSchema),
      finally: v.optional(DurationSchema),
    }),
  ),
  taskRunTemplate: v.optional(
    v.strictObject({
      serviceAccountName: v.optional(v.string()),
      podTemplate: v.optional(PodTemplateSchema),
    }),
  ),
  taskRunSpecs: v.optional(v.array(PipelineTaskRunSpecSchema)),
  status: v.optional(v.string()),
  managedBy: v.optional(v.string()),
});
export type PipelineRunSpec = v.InferOutput<typeof PipelineRunSpecSchema>;

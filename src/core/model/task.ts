import * as v from "valibot";
import {
  OpaqueSchema,
  ParamSpecSchema,
  ResultSpecSchema,
  ScalarSchema,
  WorkspaceDeclarationSchema,
} from "./common.ts";
import { SidecarSchema, StepSchema, StepTemplateSchema } from "./step.ts";

/** A pod volume (Kubernetes Volume); the source types are checked when a run mounts them. */
export const VolumeSchema = v.looseObject({ name: v.string() });
export type Volume = v.InferOutput<typeof VolumeSchema>;

export const TaskSpecSchema = v.strictObject({
  displayName: v.optional(v.string()),
  description: v.optional(v.string()),
  params: v.optional(v.array(ParamSpecSchema)),
  results: v.optional(v.array(ResultSpecSchema)),
  workspaces: v.optional(v.array(WorkspaceDeclarationSchema)),
  steps: v.array(StepSchema),
  stepTemplate: v.optional(StepTemplateSchema),
  sidecars: v.optional(v.array(SidecarSchema)),
  volumes: v.optional(v.array(VolumeSchema)),
});
export type TaskSpec = v.InferOutput<typeof TaskSpecSchema>;

export const StepActionSpecSchema = v.strictObject({
  description: v.optional(v.string()),
  image: v.optional(v.string()),
  command: v.optional(v.array(ScalarSchema)),
  args: v.optional(v.array(ScalarSchema)),
  env: v.optional(v.array(OpaqueSchema)),
  script: v.optional(v.string()),
  workingDir: v.optional(v.string()),
  params: v.optional(v.array(ParamSpecSchema)),
  results: v.optional(v.array(ResultSpecSchema)),
  securityContext: v.optional(OpaqueSchema),
  volumeMounts: v.optional(v.array(OpaqueSchema)),
});
export type StepActionSpec = v.InferOutput<typeof StepActionSpecSchema>;

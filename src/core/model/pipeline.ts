import * as v from "valibot";
import {
  DurationSchema,
  ParamSchema,
  ParamSpecSchema,
  ParamValueSchema,
  ParamTypeSchema,
  RefSchema,
  StringListSchema,
  WhenExpressionSchema,
} from "./common.ts";
import { TaskSpecSchema } from "./task.ts";

export const WorkspacePipelineTaskBindingSchema = v.strictObject({
  name: v.string(),
  workspace: v.optional(v.string()),
  subPath: v.optional(v.string()),
});

export const MatrixSchema = v.strictObject({
  // A whole-array reference such as "$(params.versions[*])" stands for the list.
  params: v.optional(
    v.array(v.strictObject({ name: v.string(), value: v.union([StringListSchema, v.string()]) })),
  ),
  include: v.optional(
    v.array(
      v.strictObject({
        name: v.optional(v.string()),
        params: v.optional(v.array(ParamSchema)),
      }),
    ),
  ),
});
export type Matrix = v.InferOutput<typeof MatrixSchema>;

/** A task spec embedded in a pipeline task; it may carry metadata like a document. */
export const EmbeddedTaskSchema = v.strictObject({
  ...TaskSpecSchema.entries,
  metadata: v.optional(v.looseObject({})),
  apiVersion: v.optional(v.string()),
  kind: v.optional(v.string()),
  spec: v.optional(v.looseObject({})),
});

export const PipelineTaskSchema = v.strictObject({
  name: v.string(),
  displayName: v.optional(v.string()),
  description: v.optional(v.string()),
  taskRef: v.optional(RefSchema),
  taskSpec: v.optional(EmbeddedTaskSchema),
  pipelineRef: v.optional(RefSchema),
  pipelineSpec: v.optional(v.looseObject({})),
  params: v.optional(v.array(ParamSchema)),
  matrix: v.optional(MatrixSchema),
  workspaces: v.optional(v.array(WorkspacePipelineTaskBindingSchema)),
  runAfter: v.optional(v.array(v.string())),
  retries: v.optional(v.number()),
  timeout: v.optional(DurationSchema),
  when: v.optional(v.array(WhenExpressionSchema)),
  onError: v.optional(v.string()),
});
export type PipelineTask = v.InferOutput<typeof PipelineTaskSchema>;

export const PipelineResultSchema = v.strictObject({
  name: v.string(),
  type: v.optional(ParamTypeSchema),
  description: v.optional(v.string()),
  value: ParamValueSchema,
});
export type PipelineResult = v.InferOutput<typeof PipelineResultSchema>;

export const PipelineWorkspaceDeclarationSchema = v.strictObject({
  name: v.string(),
  description: v.optional(v.string()),
  optional: v.optional(v.boolean()),
});

export const PipelineSpecSchema = v.strictObject({
  displayName: v.optional(v.string()),
  description: v.optional(v.string()),
  params: v.optional(v.array(ParamSpecSchema)),
  workspaces: v.optional(v.array(PipelineWorkspaceDeclarationSchema)),
  tasks: v.optional(v.array(PipelineTaskSchema)),
  finally: v.optional(v.array(PipelineTaskSchema)),
  results: v.optional(v.array(PipelineResultSchema)),
});
export type PipelineSpec = v.InferOutput<typeof PipelineSpecSchema>;

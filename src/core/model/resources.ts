import * as v from "valibot";
import type { DocPath, LoadedDocument } from "../load/parse-yaml.ts";
import { type ObjectMeta, ObjectMetaSchema } from "./common.ts";
import { type PipelineSpec, PipelineSpecSchema } from "./pipeline.ts";
import {
  type PipelineRunSpec,
  PipelineRunSpecSchema,
  type TaskRunSpec,
  TaskRunSpecSchema,
} from "./runs.ts";
import {
  type StepActionSpec,
  StepActionSpecSchema,
  type TaskSpec,
  TaskSpecSchema,
} from "./task.ts";

interface Base<K extends string> {
  kind: K;
  apiVersion: string;
  /** The name, or for `generateName` documents the prefix until a run names it. */
  name: string;
  metadata: ObjectMeta;
  doc: LoadedDocument;
  /** Where this resource's `spec` sits in its document (changed by embedding). */
  specPath: DocPath;
}

export interface TaskResource extends Base<"Task"> {
  spec: TaskSpec;
}
export interface PipelineResource extends Base<"Pipeline"> {
  spec: PipelineSpec;
}
export interface TaskRunResource extends Base<"TaskRun"> {
  spec: TaskRunSpec;
}
export interface PipelineRunResource extends Base<"PipelineRun"> {
  spec: PipelineRunSpec;
}
export interface StepActionResource extends Base<"StepAction"> {
  spec: StepActionSpec;
}
/** ConfigMap and Secret, with Secret `data` already decoded from base64. */
export interface DataResource extends Base<"ConfigMap" | "Secret"> {
  data: Record<string, string>;
  type: string | undefined;
}
export interface ServiceAccountResource extends Base<"ServiceAccount"> {
  secrets: string[];
}
export interface ClaimResource extends Base<"PersistentVolumeClaim"> {}

export type Resource =
  | TaskResource
  | PipelineResource
  | TaskRunResource
  | PipelineRunResource
  | StepActionResource
  | DataResource
  | ServiceAccountResource
  | ClaimResource;

export type TektonKind = "Task" | "Pipeline" | "TaskRun" | "PipelineRun" | "StepAction";

export const SPEC_SCHEMAS = {
  Task: TaskSpecSchema,
  Pipeline: PipelineSpecSchema,
  TaskRun: TaskRunSpecSchema,
  PipelineRun: PipelineRunSpecSchema,
  StepAction: StepActionSpecSchema,
} as const;

export const TEKTON_API_VERSIONS: Record<TektonKind, string[]> = {
  Task: ["tekton.dev/v1", "tekton.dev/v1beta1"],
  Pipeline: ["tekton.dev/v1", "tekton.dev/v1beta1"],
  TaskRun: ["tekton.dev/v1", "tekton.dev/v1beta1"],
  PipelineRun: ["tekton.dev/v1", "tekton.dev/v1beta1"],
  StepAction: ["tekton.dev/v1alpha1", "tekton.dev/v1beta1"],
};

export const TopLevelSchema = v.looseObject({
  apiVersion: v.string(),
  kind: v.string(),
  metadata: v.optional(ObjectMetaSchema),
});

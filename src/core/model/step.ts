import * as v from "valibot";
import {
  DurationSchema,
  OpaqueSchema,
  ParamSchema,
  RefSchema,
  ResultSpecSchema,
  ScalarSchema,
  StringListSchema,
  WhenExpressionSchema,
} from "./common.ts";

export const EnvVarSchema = v.strictObject({
  name: v.string(),
  value: v.optional(ScalarSchema),
  valueFrom: v.optional(OpaqueSchema),
});
export type EnvVar = v.InferOutput<typeof EnvVarSchema>;

export const EnvFromSchema = v.strictObject({
  prefix: v.optional(v.string()),
  configMapRef: v.optional(v.looseObject({ name: v.string(), optional: v.optional(v.boolean()) })),
  secretRef: v.optional(v.looseObject({ name: v.string(), optional: v.optional(v.boolean()) })),
});
export type EnvFrom = v.InferOutput<typeof EnvFromSchema>;

export const VolumeMountSchema = v.strictObject({
  name: v.string(),
  mountPath: v.string(),
  readOnly: v.optional(v.boolean()),
  subPath: v.optional(v.string()),
  subPathExpr: v.optional(v.string()),
  mountPropagation: v.optional(v.string()),
  recursiveReadOnly: v.optional(v.string()),
});
export type VolumeMount = v.InferOutput<typeof VolumeMountSchema>;

/** A step's or sidecar's use of a Task workspace (isolation); mountPath defaults to the Task's. */
export const WorkspaceUsageSchema = v.strictObject({
  name: v.string(),
  mountPath: v.optional(v.string()),
});

const containerFields = {
  image: v.optional(v.string()),
  command: v.optional(StringListSchema),
  args: v.optional(StringListSchema),
  workingDir: v.optional(v.string()),
  env: v.optional(v.array(EnvVarSchema)),
  envFrom: v.optional(v.array(EnvFromSchema)),
  computeResources: v.optional(OpaqueSchema),
  volumeMounts: v.optional(v.array(VolumeMountSchema)),
  volumeDevices: v.optional(v.array(OpaqueSchema)),
  imagePullPolicy: v.optional(v.picklist(["Always", "IfNotPresent", "Never"])),
  securityContext: v.optional(OpaqueSchema),
};

export const StepSchema = v.strictObject({
  ...containerFields,
  name: v.optional(v.string()),
  displayName: v.optional(v.string()),
  script: v.optional(v.string()),
  timeout: v.optional(DurationSchema),
  workspaces: v.optional(v.array(WorkspaceUsageSchema)),
  onError: v.optional(v.string()),
  stdoutConfig: v.optional(v.strictObject({ path: v.optional(v.string()) })),
  stderrConfig: v.optional(v.strictObject({ path: v.optional(v.string()) })),
  ref: v.optional(RefSchema),
  params: v.optional(v.array(ParamSchema)),
  results: v.optional(v.array(ResultSpecSchema)),
  when: v.optional(v.array(WhenExpressionSchema)),
});
export type Step = v.InferOutput<typeof StepSchema>;

export const StepTemplateSchema = v.strictObject({ ...containerFields });
export type StepTemplate = v.InferOutput<typeof StepTemplateSchema>;

export const SidecarSchema = v.strictObject({
  ...containerFields,
  name: v.optional(v.string()),
  script: v.optional(v.string()),
  workspaces: v.optional(v.array(WorkspaceUsageSchema)),
  ports: v.optional(v.array(OpaqueSchema)),
  readinessProbe: v.optional(OpaqueSchema),
  livenessProbe: v.optional(OpaqueSchema),
  startupProbe: v.optional(OpaqueSchema),
  lifecycle: v.optional(OpaqueSchema),
  terminationMessagePath: v.optional(v.string()),
  terminationMessagePolicy: v.optional(v.string()),
  restartPolicy: v.optional(v.string()),
  stdin: v.optional(v.boolean()),
  stdinOnce: v.optional(v.boolean()),
  tty: v.optional(v.boolean()),
});
export type Sidecar = v.InferOutput<typeof SidecarSchema>;

/** Overrides of a step's or sidecar's resources given by a run (stepSpecs/sidecarSpecs). */
export const ContainerOverrideSchema = v.strictObject({
  name: v.string(),
  computeResources: v.optional(OpaqueSchema),
});

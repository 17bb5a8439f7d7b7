import * as v from "valibot";

/** YAML numbers and booleans become strings, as the Kubernetes API server would store them. */
export const ScalarSchema = v.pipe(
  v.union([v.string(), v.number(), v.boolean()]),
  v.transform((value) => String(value)),
);

export const StringListSchema = v.array(ScalarSchema);

/** A param or result value: string, array of strings, or object of strings. */
export const ParamValueSchema = v.union([
  ScalarSchema,
  StringListSchema,
  v.record(v.string(), ScalarSchema),
]);
export type ParamValue = v.InferOutput<typeof ParamValueSchema>;

export const ParamTypeSchema = v.picklist(["string", "array", "object"]);
export type ParamType = v.InferOutput<typeof ParamTypeSchema>;

export const PropertySpecSchema = v.strictObject({ type: v.optional(v.picklist(["string"])) });

/** A declared parameter of a Task or Pipeline (ParamSpec). */
export const ParamSpecSchema = v.strictObject({
  name: v.string(),
  type: v.optional(ParamTypeSchema),
  description: v.optional(v.string()),
  default: v.optional(ParamValueSchema),
  properties: v.optional(v.record(v.string(), PropertySpecSchema)),
  enum: v.optional(v.array(v.string())),
});
export type ParamSpec = v.InferOutput<typeof ParamSpecSchema>;

/** A param value given by a run or a pipeline task. */
export const ParamSchema = v.strictObject({ name: v.string(), value: ParamValueSchema });
export type Param = v.InferOutput<typeof ParamSchema>;

export const ResultSpecSchema = v.strictObject({
  name: v.string(),
  type: v.optional(ParamTypeSchema),
  description: v.optional(v.string()),
  properties: v.optional(v.record(v.string(), PropertySpecSchema)),
  /** A Task result taken from a step result: `$(steps.<step>.results.<name>)`. */
  value: v.optional(ParamValueSchema),
});
export type ResultSpec = v.InferOutput<typeof ResultSpecSchema>;

/** A workspace declared by a Task. */
export const WorkspaceDeclarationSchema = v.strictObject({
  name: v.string(),
  description: v.optional(v.string()),
  mountPath: v.optional(v.string()),
  readOnly: v.optional(v.boolean()),
  optional: v.optional(v.boolean()),
});
export type WorkspaceDeclaration = v.InferOutput<typeof WorkspaceDeclarationSchema>;

export const WhenExpressionSchema = v.strictObject({
  input: v.optional(ScalarSchema),
  operator: v.optional(v.picklist(["in", "notin"])),
  values: v.optional(StringListSchema),
  cel: v.optional(v.string()),
});
export type WhenExpression = v.InferOutput<typeof WhenExpressionSchema>;

/** Kubernetes fields we accept but whose inner shape we do not check. */
export const OpaqueSchema = v.record(v.string(), v.unknown());

export const ObjectMetaSchema = v.looseObject({
  name: v.optional(v.string()),
  generateName: v.optional(v.string()),
  namespace: v.optional(v.string()),
  labels: v.optional(v.record(v.string(), ScalarSchema)),
  annotations: v.optional(v.record(v.string(), ScalarSchema)),
});
export type ObjectMeta = v.InferOutput<typeof ObjectMetaSchema>;

export const ResolverParamsSchema = v.array(ParamSchema);

/** A reference to a Task, Pipeline or StepAction, by name or through a resolver. */
export const RefSchema = v.strictObject({
  name: v.optional(v.string()),
  kind: v.optional(v.string()),
  apiVersion: v.optional(v.string()),
  resolver: v.optional(v.string()),
  params: v.optional(ResolverParamsSchema),
  bundle: v.optional(v.string()),
});
export type Ref = v.InferOutput<typeof RefSchema>;

/** Go durations as Tekton accepts them: "1h30m", "10s", "0". */
export const DurationSchema = v.pipe(
  v.string(),
  v.regex(/^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/, "must be a duration such as 10s, 5m or 1h30m"),
);

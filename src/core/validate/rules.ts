/** How much a problem matters: errors fail the check, warnings only inform. */
export type Severity = "error" | "warning";

/** One documented rule: its default severity and what it checks. */
export interface RuleInfo {
  severity: Severity;
  description: string;
}

/**
 * Every rule `mallet validate` reports, by stable name. Most mirror a check of Tekton's
 * admission webhook (tektoncd/pipeline `*_validation.go`); the `missing-*`, `param-type`,
 * `param-unused` and `result-undeclared` checks of referenced resources mirror what the
 * controller rejects when a run starts.
 */
export const RULES = {
  "yaml-syntax": { severity: "error", description: "the file is not valid YAML" },
  schema: {
    severity: "error",
    description:
      "a field is unknown (as `kubectl apply` rejects it), has the wrong type or is missing, or the apiVersion does not serve the kind",
  },
  "name-format": {
    severity: "error",
    description:
      "a resource, step, pipeline task or ref name is not a DNS-1123 name or is longer than 63 characters",
  },
  "feature-flag": {
    severity: "warning",
    description:
      "the field needs a Tekton feature flag that is off by default (alpha fields, enum, CEL)",
  },
  "image-tag": {
    severity: "warning",
    description: "an image has no tag or digest, or uses `:latest`",
  },
  "missing-steps": { severity: "error", description: "a Task has no steps" },
  "duplicate-step": {
    severity: "error",
    description: "two steps, or two stepSpecs or sidecarSpecs entries, have the same name",
  },
  "duplicate-param": { severity: "error", description: "a param is declared or given twice" },
  "duplicate-result": { severity: "error", description: "a result is declared twice" },
  "duplicate-workspace": {
    severity: "error",
    description: "a workspace is declared or bound twice",
  },
  "duplicate-volume": { severity: "error", description: "two volumes have the same name" },
  "duplicate-task": {
    severity: "error",
    description: "two pipeline tasks (in tasks or finally) have the same name",
  },
  "workspace-mount-path": {
    severity: "error",
    description: "a workspace mounts where another workspace or a volumeMount already does",
  },
  "script-and-command": {
    severity: "error",
    description: "a step, sidecar or StepAction has both script and command",
  },
  "missing-image": { severity: "error", description: "a step, sidecar or StepAction has no image" },
  "onerror-value": {
    severity: "error",
    description: "onError is neither `continue` nor `stopAndFail`",
  },
  "reserved-volume-mount": {
    severity: "error",
    description:
      "a volumeMount is under /tekton/ (other than /tekton/home) or named tekton-internal-*",
  },
  "reserved-sidecar-name": {
    severity: "error",
    description: "a sidecar is named tekton-log-results, which Tekton reserves",
  },
  "step-result-usage": {
    severity: "error",
    description: "`$(steps.<step>.results.<name>)` is used outside env, command and args",
  },
  "param-name": {
    severity: "error",
    description: "a param name or object key has characters Tekton does not allow",
  },
  "param-type": {
    severity: "error",
    description: "a param type is unknown, or a value does not have the declared type",
  },
  "default-type-mismatch": {
    severity: "error",
    description: "a param's default does not have the param's type",
  },
  "object-param-properties": {
    severity: "error",
    description: "an object param has no properties, or a property is not a string",
  },
  "param-enum": {
    severity: "error",
    description:
      "enum on a non-string param, a repeated enum value, or a default or value outside the enum",
  },
  "array-star-position": {
    severity: "error",
    description:
      "a whole array param (`$(params.a[*])` or `$(params.a)`) is used where only a string fits, or is not alone in its array item",
  },
  "object-whole-usage": {
    severity: "error",
    description: "a whole object param is used where only a string fits",
  },
  "object-key-unknown": {
    severity: "error",
    description: "`$(params.obj.key)` names a key the object param does not declare",
  },
  "param-undeclared": {
    severity: "error",
    description: "`$(params.x)` names a param that is not declared (or propagated) there",
  },
  "result-name": {
    severity: "error",
    description: "a result name has characters Tekton does not allow",
  },
  "result-type": {
    severity: "error",
    description:
      "a result type is unknown, an object result has no properties, or a result value is not `$(steps.<step>.results.<name>)`",
  },
  "result-undeclared": {
    severity: "error",
    description: "a reference names a result that the Task, step or StepAction does not declare",
  },
  "workspace-undeclared": {
    severity: "error",
    description: "a reference or binding names a workspace that is not declared",
  },
  "context-unknown": {
    severity: "error",
    description: "`$(context.…)` names a context variable that does not exist",
  },
  "stepaction-ref-conflict": {
    severity: "error",
    description:
      "a step with `ref` also sets image, command, args, script, workingDir, env, volumeMounts or results",
  },
  "stepaction-params": { severity: "error", description: "a step without `ref` has params" },
  "stepaction-script-params": {
    severity: "error",
    description: "a StepAction's script uses `$(params…)`; pass params through env instead",
  },
  "stepaction-volume-mount": {
    severity: "error",
    description: "a StepAction volumeMount name is not a single `$(params.x)` reference",
  },
  "ref-invalid": {
    severity: "error",
    description:
      "a taskRef, pipelineRef or step ref has neither name nor resolver, or mixes them wrongly",
  },
  "ref-or-spec": {
    severity: "error",
    description: "not exactly one of taskRef/taskSpec (or pipelineRef/pipelineSpec) is given",
  },
  "custom-task": {
    severity: "error",
    description:
      "a custom task lacks kind or a group/version apiVersion, or an embedded Task sets them",
  },
  "runafter-unknown": {
    severity: "error",
    description: "runAfter names a task that is not in tasks",
  },
  "result-ref-unknown-task": {
    severity: "error",
    description: "`$(tasks.<t>.results.<r>)` names a task that is not in the pipeline",
  },
  "pipeline-cycle": {
    severity: "error",
    description: "tasks depend on each other in a cycle (through runAfter and result references)",
  },
  "finally-runafter": { severity: "error", description: "a finally task has runAfter" },
  "finally-result-ref": {
    severity: "error",
    description: "a finally task reads a result of another finally task",
  },
  "finally-without-tasks": {
    severity: "error",
    description: "finally is given but tasks is empty",
  },
  "status-outside-finally": {
    severity: "error",
    description:
      "`$(tasks.<t>.status)`, `$(tasks.<t>.reason)` or `$(tasks.status)` is used outside finally",
  },
  "status-ref-unknown-task": {
    severity: "error",
    description: "`$(tasks.<t>.status)` in finally names a task that is not in tasks",
  },
  "when-operator": {
    severity: "error",
    description: "a when expression is empty or its operator is not `in` or `notin`",
  },
  "when-values": { severity: "error", description: "a when expression has no values" },
  "when-cel": {
    severity: "error",
    description: "a when expression sets cel together with input, operator or values",
  },
  "variable-prefix": {
    severity: "error",
    description:
      "a pipeline task param, when or matrix value uses `$(x…)` where x is not params, tasks, finally, context, workspaces or results",
  },
  "pipeline-result-value": {
    severity: "error",
    description: "a pipeline result value is not made of task result references",
  },
  "matrix-combinations": {
    severity: "error",
    description: "a matrix fans out to more than 256 combinations",
  },
  "matrix-param-conflict": {
    severity: "error",
    description: "a param is given both in matrix and in params",
  },
  "matrix-result-ref": {
    severity: "error",
    description: "a result of a matrixed task is read without `[*]`",
  },
  "matrix-result-type": {
    severity: "error",
    description: "a result of a matrixed task that another task reads is not a string",
  },
  "retries-with-onerror": {
    severity: "error",
    description: "a pipeline task has retries together with `onError: continue`",
  },
  "retries-negative": { severity: "error", description: "retries is below zero" },
  "workspace-binding": {
    severity: "error",
    description:
      "a run's workspace binding has no volume source or several, or its source lacks its name",
  },
  "timeouts-sum": {
    severity: "error",
    description:
      "timeouts.tasks or timeouts.finally (or their sum, or a taskRunSpecs timeout) exceed the pipeline timeout",
  },
  "run-status": {
    severity: "error",
    description: "a run's spec.status or statusMessage is not allowed",
  },
  "run-param-result-ref": {
    severity: "error",
    description: "a PipelineRun param value references task results",
  },
  "missing-param": {
    severity: "error",
    description:
      "a run or pipeline task gives no value for a param without default (or misses object keys)",
  },
  "param-unused": {
    severity: "warning",
    description:
      "a value is given for a param that the referenced Task, Pipeline or StepAction does not declare",
  },
  "missing-workspace": {
    severity: "error",
    description: "a required workspace of the Task or Pipeline is not bound",
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleName = keyof typeof RULES;

/** A severity a config file may give a rule; `off` silences it. */
export type RuleSetting = Severity | "off";

export function isRuleName(name: string): name is RuleName {
  return Object.hasOwn(RULES, name);
}

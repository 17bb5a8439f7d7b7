import { parseDuration } from "../duration.ts";
import type { Param } from "../model/common.ts";
import type { PipelineRunSpec, WorkspaceBinding } from "../model/runs.ts";
import { reportDuplicates } from "./check-declarations.ts";
import type { Scope } from "./diagnostic.ts";

const STATUSES = {
  TaskRun: ["TaskRunCancelled", "TaskRunPending"],
  PipelineRun: ["Cancelled", "CancelledRunFinally", "StoppedRunFinally", "PipelineRunPending"],
};
/** Tekton's default `timeouts.pipeline` when a PipelineRun sets none. */
const DEFAULT_PIPELINE_TIMEOUT_MS = 60 * 60_000;

/** Reports a run that sets neither or both of a ref and an embedded spec. */
export function checkOneOf(
  ref: unknown,
  spec: unknown,
  [refField, specField]: [string, string],
  at: Scope,
): void {
  if (ref === undefined && spec === undefined) {
    at.report("ref-or-spec", [], `needs ${refField} or ${specField}`);
  }
  if (ref !== undefined && spec !== undefined) {
    at.report("ref-or-spec", [specField], `takes ${refField} or ${specField}, not both`);
  }
}

/** Runs compare param names without case, as Tekton's webhook does. */
export function checkRunParams(params: readonly Param[] | undefined, at: Scope): void {
  reportDuplicates(params ?? [], at.at("params"), "duplicate-param", "param", lower);
}

/** stepSpecs and sidecarSpecs name each step or sidecar once. */
export function checkOverrides(
  spec: {
    stepSpecs?: ReadonlyArray<{ name: string }> | undefined;
    sidecarSpecs?: ReadonlyArray<{ name: string }> | undefined;
  },
  at: Scope,
): void {
  for (const field of ["stepSpecs", "sidecarSpecs"] as const) {
    reportDuplicates(spec[field] ?? [], at.at(field), "duplicate-step", `${field} entry`, lower);
  }
}

/** spec.status takes only the values that cancel or hold a run. */
export function checkStatus(
  kind: keyof typeof STATUSES,
  status: string | undefined,
  message: string | undefined,
  at: Scope,
): void {
  const allowed = STATUSES[kind];
  if (status !== undefined && !allowed.includes(status)) {
    at.report("run-status", ["status"], `status "${status}" must be one of ${allowed.join(", ")}`);
  }
  if (status === undefined && message !== undefined) {
    at.report("run-status", ["statusMessage"], "statusMessage needs status");
  }
}

const SOURCES = [
  "emptyDir",
  "configMap",
  "secret",
  "persistentVolumeClaim",
  "volumeClaimTemplate",
  "projected",
  "csi",
  "hostPath",
] as const;
const REQUIRED: Partial<Record<(typeof SOURCES)[number], string>> = {
  persistentVolumeClaim: "claimName",
  configMap: "name",
  secret: "secretName",
  csi: "driver",
};

/** Each workspace binding of a run has exactly one volume source, with its name. */
export function checkBindings(bindings: readonly WorkspaceBinding[] | undefined, at: Scope): void {
  reportDuplicates(bindings ?? [], at.at("workspaces"), "duplicate-workspace", "workspace binding");
  bindings?.forEach((binding, i) => {
    const sources = SOURCES.filter((source) => binding[source] !== undefined);
    const where = at.at("workspaces", i);
    if (sources.length !== 1) {
      const problem =
        sources.length === 0
          ? "has no volume source"
          : `has ${sources.length} volume sources (${sources.join(", ")})`;
      where.report(
        "workspace-binding",
        sources.length === 0 ? ["name"] : [sources[1] as string],
        `workspace binding "${binding.name}" ${problem}; give exactly one`,
      );
      return;
    }
    const source = sources[0] as (typeof SOURCES)[number];
    const field = REQUIRED[source];
    const value = binding[source] as Record<string, unknown>;
    if (field && !value[field]) {
      where.report("workspace-binding", [source], `${source} needs ${field}`);
    }
    if (source === "projected" && !(Array.isArray(value.sources) && value.sources.length > 0)) {
      where.report("workspace-binding", [source], "projected needs sources");
    }
  });
}

/** timeouts.tasks and timeouts.finally fit in timeouts.pipeline, as taskRunSpecs timeouts do. */
export function checkTimeouts(spec: PipelineRunSpec, at: Scope): void {
  const timeouts = spec.timeouts;
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text));
  const [tasks, fin] = [ms(timeouts?.tasks), ms(timeouts?.finally)];
  const pipeline = ms(timeouts?.pipeline) ?? DEFAULT_PIPELINE_TIMEOUT_MS;
  const limit = timeouts?.pipeline ?? "the default 1h";
  if (timeouts) {
    for (const [field, value] of [
      ["tasks", tasks],
      ["finally", fin],
    ] as const) {
      if (value === undefined) continue;
      if ((value > pipeline && pipeline !== 0) || (value === 0 && pipeline !== 0)) {
        at.report(
          "timeouts-sum",
          ["timeouts", field],
          `timeouts.${field} (${timeouts[field]}${value === 0 ? ", no timeout" : ""}) must not exceed timeouts.pipeline (${limit})`,
        );
      }
    }
    if (tasks !== undefined && fin !== undefined && tasks + fin > pipeline) {
      at.report(
        "timeouts-sum",
        ["timeouts"],
        `timeouts.tasks + timeouts.finally (${timeouts.tasks} + ${timeouts.finally}) must not exceed timeouts.pipeline (${limit})`,
      );
    }
  }
  checkTaskRunSpecTimeouts(
    spec,
    at,
    tasks,
    timeouts?.tasks
      ? "timeouts.tasks"
      : timeouts?.pipeline
        ? "timeouts.pipeline"
        : "the default pipeline timeout",
  );
}

function checkTaskRunSpecTimeouts(
  spec: PipelineRunSpec,
  at: Scope,
  tasks: number | undefined,
  source: string,
): void {
  const limit =
    tasks ??
    (spec.timeouts?.pipeline ? parseDuration(spec.timeouts.pipeline) : DEFAULT_PIPELINE_TIMEOUT_MS);
  if (limit === undefined || limit === 0) return;
  spec.taskRunSpecs?.forEach((entry, i) => {
    const timeout = entry.timeout === undefined ? undefined : parseDuration(entry.timeout);
    if (timeout === undefined || timeout <= limit) return;
    at.report(
      "timeouts-sum",
      ["taskRunSpecs", i, "timeout"],
      `timeout ${entry.timeout} of "${entry.pipelineTaskName}" exceeds ${source}`,
    );
  });
}

function lower(name: string): string {
  return name.toLowerCase();
}

import type { ParamSpec, ResultSpec } from "../model/common.ts";
import { paramType, valueType } from "../subst/params.ts";
import type { Scope } from "./diagnostic.ts";
import { isDnsLabel, isObjectParamName, isResultName, isStringParamName } from "./names.ts";

/** Checks declared params (`params:` of a Task, Pipeline or StepAction), reporting under `scope`. */
export function checkParamSpecs(specs: readonly ParamSpec[] | undefined, scope: Scope): void {
  reportDuplicates(specs ?? [], scope.at("params"), "duplicate-param", "param");
  (specs ?? []).forEach((spec, i) => {
    const at = scope.at("params", i);
    checkParamName(spec, at);
    checkDefault(spec, at);
    checkEnum(spec, at);
  });
}

function checkParamName(spec: ParamSpec, at: Scope): void {
  const type = paramType(spec);
  if (type !== "object") {
    if (!isStringParamName(spec.name)) {
      at.report(
        "param-name",
        ["name"],
        `param name "${spec.name}" must start with a letter or "_" and hold only letters, digits, "_", "-" and "."`,
      );
    }
    return;
  }
  if (!isObjectParamName(spec.name)) {
    at.report(
      "param-name",
      ["name"],
      `object param name "${spec.name}" may hold only letters, digits, "_" and "-"`,
    );
  }
  for (const key of Object.keys(spec.properties ?? {})) {
    if (!isObjectParamName(key)) {
      at.report(
        "param-name",
        ["properties", key],
        `object key "${key}" may hold only letters, digits, "_" and "-"`,
      );
    }
  }
  if (!spec.properties) {
    at.report("object-param-properties", ["name"], `object param "${spec.name}" needs properties`);
  }
}

function checkDefault(spec: ParamSpec, at: Scope): void {
  if (spec.default === undefined) return;
  const declared = paramType(spec);
  const actual = valueType(spec.default);
  if (declared !== actual) {
    at.report(
      "default-type-mismatch",
      ["default"],
      `param "${spec.name}" is ${declared} but its default is ${article(actual)}`,
    );
  }
}

function checkEnum(spec: ParamSpec, at: Scope): void {
  if (!spec.enum || spec.enum.length === 0) return;
  at.report("feature-flag", ["enum"], `enum needs the feature flag enable-param-enum on a cluster`);
  if (paramType(spec) !== "string") {
    at.report(
      "param-enum",
      ["enum"],
      `enum is allowed on string params only; "${spec.name}" is ${paramType(spec)}`,
    );
  }
  const seen = new Set<string>();
  spec.enum.forEach((value, i) => {
    if (seen.has(value)) {
      at.report("param-enum", ["enum", i], `enum value "${value}" appears twice`);
    }
    seen.add(value);
  });
  if (typeof spec.default === "string" && spec.default !== "" && !seen.has(spec.default)) {
    at.report("param-enum", ["default"], `default "${spec.default}" is not in the enum`);
  }
}

/** Which results are being declared: a Task's may take a step result's value, others may not. */
export type ResultOwner = "task" | "step" | "stepaction";

/** Checks declared results (names, types, values), reporting under `scope`. */
export function checkResultSpecs(
  results: readonly ResultSpec[] | undefined,
  scope: Scope,
  owner: ResultOwner,
): void {
  reportDuplicates(results ?? [], scope.at("results"), "duplicate-result", "result");
  (results ?? []).forEach((result, i) => {
    const at = scope.at("results", i);
    if (!isResultName(result.name)) {
      at.report(
        "result-name",
        ["name"],
        `result name "${result.name}" must start and end with a letter or digit and hold only letters, digits, "-", "_" and "."`,
      );
    }
    const isObject = result.type === "object" || (!result.type && result.properties);
    if (isObject && !result.properties) {
      at.report("result-type", ["type"], `object result "${result.name}" needs properties`);
    }
    if (result.value !== undefined) checkResultValue(result, at, owner);
  });
}

const STEP_RESULT = /\$\(steps\.(.*?)\.results\.(.*?)\)/;

function checkResultValue(result: ResultSpec, at: Scope, owner: ResultOwner): void {
  if (owner !== "task") {
    at.report(
      "schema",
      ["value"],
      `a ${owner === "step" ? "step" : "StepAction"} result has no value field`,
    );
    return;
  }
  const match = typeof result.value === "string" ? STEP_RESULT.exec(result.value) : null;
  if (!match) {
    at.report(
      "result-type",
      ["value"],
      `result value must be a string "$(steps.<step>.results.<name>)"`,
    );
    return;
  }
  const [, step = "", name = ""] = match;
  if (!isDnsLabel(step) || !isResultName(name)) {
    at.report(
      "result-type",
      ["value"],
      `result value names an invalid step "${step}" or result "${name}"`,
    );
  }
}

/** Reports every entry whose `name` an earlier entry already has. */
export function reportDuplicates(
  items: ReadonlyArray<{ name?: string | undefined }>,
  at: Scope,
  rule:
    | "duplicate-param"
    | "duplicate-result"
    | "duplicate-workspace"
    | "duplicate-volume"
    | "duplicate-step"
    | "duplicate-task",
  what: string,
  fold: (name: string) => string = (name) => name,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.name === undefined || item.name === "") return;
    const key = fold(item.name);
    if (seen.has(key)) {
      at.report(rule, [i, "name"], `${what} "${item.name}" appears more than once`);
    }
    seen.add(key);
  });
}

function article(type: string): string {
  return type === "array" || type === "object" ? `an ${type}` : `a ${type}`;
}

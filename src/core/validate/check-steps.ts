import type { Ref, WhenExpression } from "../model/common.ts";
import type { Sidecar, Step, StepTemplate } from "../model/step.ts";
import type { Scope } from "./diagnostic.ts";
import { checkResultSpecs } from "./check-declarations.ts";
import { isDnsLabel, isQualifiedName, isUrlLike } from "./names.ts";

const RESERVED_SIDECAR = "tekton-log-results";
const ON_ERROR = ["continue", "stopAndFail"];

/** Checks one step; `template` supplies image and command as Tekton merges them first. */
export function checkStep(step: Step, template: StepTemplate | undefined, at: Scope): void {
  if (step.ref) checkStepWithRef(step, at);
  else checkInlineStep(step, template, at);
  if (step.name !== undefined && !isDnsLabel(step.name)) {
    const message = `step name "${step.name}" is not a DNS-1123 label (lower case letters, digits and "-", at most 63)`;
    at.report("name-format", ["name"], message);
  }
  checkVolumeMounts(step.volumeMounts, at);
  const onError = step.onError;
  if (onError !== undefined && !onError.startsWith("$(params.") && !ON_ERROR.includes(onError)) {
    at.report(
      "onerror-value",
      ["onError"],
      `onError is "${onError}"; use "continue" or "stopAndFail"`,
    );
  }
  for (const field of ["stdoutConfig", "stderrConfig"] as const) {
    if (step[field])
      at.report("feature-flag", [field], `${field} needs enable-api-fields: alpha on a cluster`);
  }
  checkWindowsScript(step.script, at);
  checkResultSpecs(step.results, at, "step");
  checkWhenList(step.when, at);
}

const REF_EXCLUDES = [
  "image",
  "command",
  "args",
  "script",
  "workingDir",
  "env",
  "volumeMounts",
  "results",
] as const;

function checkStepWithRef(step: Step, at: Scope): void {
  checkRef(step.ref as Ref, at.at("ref"));
  for (const field of REF_EXCLUDES) {
    const value = step[field];
    const set = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== "";
    if (set || (field === "env" && value !== undefined)) {
      at.report(
        "stepaction-ref-conflict",
        [field],
        `${field} cannot be used with ref: the StepAction sets it`,
      );
    }
  }
}

function checkInlineStep(step: Step, template: StepTemplate | undefined, at: Scope): void {
  if (step.params && step.params.length > 0) {
    at.report(
      "stepaction-params",
      ["params"],
      "params can only be given to a step with ref (a StepAction)",
    );
  }
  const image = step.image || template?.image;
  if (!image) at.report("missing-image", step.name ? ["name"] : [], "step has no image");
  else if (step.image) checkImageTag(step.image, at);
  const command = step.command?.length ? step.command : template?.command;
  if (step.script && command && command.length > 0) {
    const from = step.command?.length ? "" : " (from stepTemplate)";
    at.report("script-and-command", ["script"], `script cannot be used with command${from}`);
  }
}

/** Checks one sidecar: image, script or command, reserved name. */
export function checkSidecar(sidecar: Sidecar, at: Scope): void {
  if (sidecar.name === RESERVED_SIDECAR) {
    at.report(
      "reserved-sidecar-name",
      ["name"],
      `sidecar name "${RESERVED_SIDECAR}" is reserved by Tekton`,
    );
  }
  if (!sidecar.image) {
    at.report("missing-image", sidecar.name ? ["name"] : [], "sidecar has no image");
  } else {
    checkImageTag(sidecar.image, at);
  }
  if (sidecar.script && sidecar.command && sidecar.command.length > 0) {
    at.report("script-and-command", ["script"], "script cannot be used with command");
  }
  checkWindowsScript(sidecar.script, at);
}

/** Checks a stepTemplate's own fields. */
export function checkStepTemplate(template: StepTemplate, at: Scope): void {
  if (template.image) checkImageTag(template.image, at);
  checkVolumeMounts(template.volumeMounts, at);
}

function checkVolumeMounts(mounts: Step["volumeMounts"], at: Scope): void {
  mounts?.forEach((mount, j) => {
    const path = normalizePath(mount.mountPath);
    if (path.startsWith("/tekton/") && !path.startsWith("/tekton/home")) {
      at.report(
        "reserved-volume-mount",
        ["volumeMounts", j, "mountPath"],
        `volumeMount "${mount.name}" cannot be mounted under /tekton/ (only /tekton/home)`,
      );
    }
    if (mount.name.startsWith("tekton-internal-")) {
      at.report(
        "reserved-volume-mount",
        ["volumeMounts", j, "name"],
        `volumeMount name "${mount.name}" cannot start with "tekton-internal-"`,
      );
    }
  });
}

function checkWindowsScript(script: string | undefined, at: Scope): void {
  if (script?.trim().startsWith("#!win")) {
    at.report(
      "feature-flag",
      ["script"],
      "windows scripts (#!win) need enable-api-fields: alpha on a cluster",
    );
  }
}

/** Warns about images that can change under the same name: no tag, or `latest`. */
export function checkImageTag(
  image: string,
  at: Scope,
  path: readonly (string | number)[] = ["image"],
): void {
  if (image.includes("$(") || image.includes("@")) return;
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastPart.lastIndexOf(":");
  if (colon < 0) {
    at.report(
      "image-tag",
      path,
      `image "${image}" has no tag or digest, so what runs can change; pin a tag or a digest`,
    );
  } else if (lastPart.slice(colon + 1) === "latest") {
    at.report(
      "image-tag",
      path,
      `image "${image}" uses the moving tag "latest"; pin a version or a digest`,
    );
  }
}

/** Checks when expressions of a step or pipeline task. */
export function checkWhenList(when: readonly WhenExpression[] | undefined, at: Scope): void {
  when?.forEach((expression, i) => checkWhen(expression, at.at("when", i)));
}

function checkWhen(expression: WhenExpression, at: Scope): void {
  const { input, operator, values, cel } = expression;
  if (cel !== undefined) {
    at.report(
      "feature-flag",
      ["cel"],
      "cel in when needs the feature flag enable-cel-in-whenexpression on a cluster",
    );
    if (input !== undefined || operator !== undefined || values !== undefined) {
      at.report(
        "when-cel",
        ["cel"],
        "cel cannot be combined with input, operator and values in one when expression",
      );
    }
    return;
  }
  if (operator === undefined) {
    const empty = input === undefined && values === undefined;
    at.report(
      "when-operator",
      [],
      empty ? "when expression is empty" : `when expression needs an operator: "in" or "notin"`,
    );
    return;
  }
  if (!values || values.length === 0) {
    at.report(
      "when-values",
      values ? ["values"] : ["operator"],
      "when expression needs at least one value",
    );
  }
}

/** Checks a taskRef, pipelineRef or step ref: a name, or a resolver with params. */
export function checkRef(ref: Ref, at: Scope): void {
  const { name, resolver, params } = ref;
  if (resolver !== undefined || params !== undefined) {
    if (params !== undefined && name) {
      at.report("ref-invalid", ["name"], "a ref takes either name or resolver params, not both");
    }
    if (params !== undefined && !resolver) {
      at.report("ref-invalid", ["params"], "resolver params need a resolver");
    }
    if (resolver && name && !isUrlLike(name)) {
      at.report("ref-invalid", ["name"], `with a resolver, name must be a URL, not "${name}"`);
    }
    if (resolver && name && isUrlLike(name)) {
      at.report(
        "feature-flag",
        ["name"],
        "a URL as ref name needs enable-concise-resolver-syntax on a cluster",
      );
    }
    return;
  }
  if (!name) {
    at.report("ref-invalid", [], "ref needs a name or a resolver");
  } else if (isUrlLike(name)) {
    at.report(
      "feature-flag",
      ["name"],
      "a URL as ref name needs enable-concise-resolver-syntax on a cluster",
    );
    at.report("ref-invalid", ["name"], "a URL as ref name needs a resolver");
  } else if (!isQualifiedName(name)) {
    at.report("name-format", ["name"], `ref name "${name}" is not a valid Kubernetes name`);
  }
}

function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

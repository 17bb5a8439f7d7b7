import type { StepActionSpec } from "../model/task.ts";
import { checkParamSpecs, checkResultSpecs } from "./check-declarations.ts";
import { checkSites, paramsFromSpecs } from "./check-references.ts";
import { checkImageTag } from "./check-steps.ts";
import type { Scope } from "./diagnostic.ts";
import { SiteList, scanRefs } from "./expressions.ts";

/** Checks a StepAction spec: a step that stands alone, with its own params and results. */
export function checkStepActionSpec(spec: StepActionSpec, at: Scope): void {
  if (!spec.image) at.report("missing-image", [], "StepAction has no image");
  else checkImageTag(spec.image, at);
  if (spec.script && spec.command && spec.command.length > 0) {
    at.report("script-and-command", ["script"], "script cannot be used with command");
  }
  if (spec.script && scanRefs(spec.script).some((ref) => ref.segments[0] === "params")) {
    at.report(
      "stepaction-script-params",
      ["script"],
      "a StepAction script cannot use $(params…); pass the value through env",
    );
  }
  if (spec.script?.trim().startsWith("#!win")) {
    at.report(
      "feature-flag",
      ["script"],
      "windows scripts (#!win) need enable-api-fields: alpha on a cluster",
    );
  }
  checkParamSpecs(spec.params, at);
  checkResultSpecs(spec.results, at, "stepaction");
  checkVolumeMountNames(spec, at);
  checkStepActionVariables(spec, at);
}

const SINGLE_PARAM = /^\$\(params(\.[^()$]+|\['[^']+'\]|\["[^"]+"\])\)$/;

function checkVolumeMountNames(spec: StepActionSpec, at: Scope): void {
  spec.volumeMounts?.forEach((mount, i) => {
    const name = mount.name;
    if (typeof name === "string" && SINGLE_PARAM.test(name)) return;
    at.report(
      "stepaction-volume-mount",
      ["volumeMounts", i, "name"],
      `volumeMount name must be one $(params.<name>) reference, not ${JSON.stringify(name)}`,
    );
  });
}

function checkStepActionVariables(spec: StepActionSpec, at: Scope): void {
  const results = new Set((spec.results ?? []).map((r) => r.name));
  const list = new SiteList();
  list.add(spec.image, ["image"], "text", "image");
  list.add(spec.script, ["script"], "text", "script", results);
  list.add(spec.workingDir, ["workingDir"], "text", "workingDir");
  list.addItems(spec.command, ["command"], "command");
  list.addItems(spec.args, ["args"], "args");
  spec.env?.forEach((env, i) => {
    if (typeof env.value === "string") list.add(env.value, ["env", i, "value"], "text", "env");
  });
  spec.volumeMounts?.forEach((mount, i) => {
    if (typeof mount.name === "string") {
      list.add(mount.name, ["volumeMounts", i, "name"], "text", "volumeMounts");
    }
  });
  // In a StepAction, $(results.x.path) and $(step.results.x.path) both mean its own results.
  checkSites(list.sites, { params: paramsFromSpecs(spec.params), results }, at);
}

import { MalletError } from "../core/errors.ts";
import { validate } from "../core/validate/validate.ts";
import { fastYamlParse } from "./fast-yaml.ts";
import type { Source } from "./input.ts";

/**
 * Refuses to run what Tekton's webhook would reject: the input gets `mallet validate`'s checks
 * (errors only), with the Tasks and Pipelines of --resources as references. Every error is
 * reported, one line each with its location, as `mallet validate` prints them. What Tekton
 * finds only when it creates a TaskRun is left to the run, which fails that TaskRun.
 */
export function checkBeforeRun(files: readonly Source[], references: readonly Source[]): void {
  const diagnostics = validate({
    files,
    references,
    errorsOnly: true,
    beforeRun: true,
    ...(fastYamlParse ? { fastParse: fastYamlParse } : {}),
  });
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const first = errors[0];
  if (!first) return;
  const rest = errors
    .slice(1)
    .map((error) => `\n${error.file}:${error.line}:${error.col}: ${error.rule}: ${error.message}`);
  throw new MalletError("INVALID_SPEC", `${first.rule}: ${first.message}${rest.join("")}`, {
    file: first.file,
    line: first.line,
    col: first.col,
  });
}

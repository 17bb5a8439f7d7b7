import { MalletError } from "../core/errors.ts";
import { validate } from "../core/validate/validate.ts";
import { fastYamlParse } from "./fast-yaml.ts";
import type { Source } from "./input.ts";

/**
 * Refuses to run what Tekton's webhook would reject: the input gets `mallet validate`'s checks
 * (errors only), with the Tasks and Pipelines of --resources as references. The first error
 * is reported with its location; `mallet validate` lists them all.
 */
export function checkBeforeRun(files: readonly Source[], references: readonly Source[]): void {
  const diagnostics = validate({
    files,
    references,
    errorsOnly: true,
    ...(fastYamlParse ? { fastParse: fastYamlParse } : {}),
  });
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const first = errors[0];
  if (!first) return;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; see mallet validate)` : "";
  throw new MalletError("INVALID_SPEC", `${first.rule}: ${first.message}${more}`, {
    file: first.file,
    line: first.line,
    col: first.col,
  });
}

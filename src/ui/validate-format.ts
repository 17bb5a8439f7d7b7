import type { Diagnostic } from "../core/validate/diagnostic.ts";

export const VALIDATE_FORMATS = ["text", "json", "github"] as const;
/** How `mallet validate` prints its findings. */
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export function isValidateFormat(value: string): value is ValidateFormat {
  return (VALIDATE_FORMATS as readonly string[]).includes(value);
}

/** Renders diagnostics for stdout: one line each (text, github) or one JSON document. */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  format: ValidateFormat,
  files: number,
): string {
  if (format === "json") return `${JSON.stringify(toJson(diagnostics, files), null, 2)}\n`;
  const render = format === "github" ? formatGithubLine : formatTextLine;
  return diagnostics.map((d) => `${render(d)}\n`).join("");
}

/** `path:line:col: error rule: message`, the form editors and grep understand. */
export function formatTextLine(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.rule}: ${d.message}`;
}

/** A GitHub Actions workflow command, shown as an annotation on the line. */
export function formatGithubLine(d: Diagnostic): string {
  const props = [
    `file=${escapeProperty(d.file)}`,
    `line=${d.line}`,
    `col=${d.col}`,
    `title=${escapeProperty(d.rule)}`,
  ];
  return `::${d.severity} ${props.join(",")}::${escapeData(d.message)}`;
}

function toJson(diagnostics: readonly Diagnostic[], files: number) {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { files, errors, warnings: diagnostics.length - errors, diagnostics };
}

/** The closing line for a person: what was checked and what was found. */
export function formatSummary(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const checked = `${files} ${files === 1 ? "file" : "files"} checked`;
  if (diagnostics.length === 0) return `${checked}: no problems`;
  return `${checked}: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

// GitHub's workflow command syntax reserves these characters.
function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

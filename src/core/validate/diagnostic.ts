import type { DocPath, LoadedDocument } from "../load/parse-yaml.ts";
import type { RuleName, Severity } from "./rules.ts";

/** One problem found in a file, where an editor can jump to it. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  severity: Severity;
  rule: RuleName;
  message: string;
}

/** A problem before it is located and given its severity. @internal */
export interface Finding {
  doc: LoadedDocument;
  path: DocPath;
  rule: RuleName;
  message: string;
  /** Tekton finds it only when it creates the TaskRun, and fails that TaskRun alone. */
  atTaskRunStart?: true;
}

/**
 * Where checks report: one document, and a base path that nested checks extend, so a check
 * of an embedded Task spec reports at `spec.pipelineSpec.tasks[2].taskSpec...` without
 * knowing where it is embedded.
 */
export class Scope {
  constructor(
    readonly doc: LoadedDocument,
    private readonly sink: Finding[],
    readonly base: DocPath = [],
  ) {}

  report(rule: RuleName, path: DocPath, message: string, atTaskRunStart = false): void {
    const finding: Finding = { doc: this.doc, path: [...this.base, ...path], rule, message };
    this.sink.push(atTaskRunStart ? { ...finding, atTaskRunStart } : finding);
  }

  at(...path: DocPath): Scope {
    return new Scope(this.doc, this.sink, [...this.base, ...path]);
  }
}

/** Orders diagnostics as a reader goes through the files: file order, then line and column. */
export function sortDiagnostics(
  diagnostics: readonly Diagnostic[],
  fileOrder: readonly string[],
): Diagnostic[] {
  const rank = new Map(fileOrder.map((file, index) => [file, index]));
  return [...diagnostics].sort(
    (a, b) => (rank.get(a.file) ?? 0) - (rank.get(b.file) ?? 0) || a.line - b.line || a.col - b.col,
  );
}

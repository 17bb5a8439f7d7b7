import { isMalletError, type MalletError, type SourceLocation } from "../errors.ts";
import type { DocPath, LoadedDocument } from "../load/parse-yaml.ts";
import type { PipelineSpec } from "../model/pipeline.ts";
import type { PipelineRunSpec, TaskRunSpec } from "../model/runs.ts";
import type { StepActionSpec, TaskSpec } from "../model/task.ts";
import { checkPipelineSpec } from "./check-pipeline.ts";
import { checkPipelineRunSpec, checkTaskRunSpec } from "./check-runs.ts";
import { checkHeader, checkSpecSchema, readHeader, type TektonHeader } from "./check-schema.ts";
import { checkStepActionSpec } from "./check-stepaction.ts";
import { checkTaskSpec, NOTHING_PROPAGATED } from "./check-task.ts";
import { type Diagnostic, type Finding, Scope, sortDiagnostics } from "./diagnostic.ts";
import { type FastDocument, type FastParse, fastDocuments } from "./fast-load.ts";
import { FastLocator } from "./fast-locate.ts";
import { type Lookup, ResourceIndex } from "./lookup.ts";
import { RULES, type RuleName, type RuleSetting } from "./rules.ts";

/** A file's name and text; the caller reads it, so the core needs no file system. */
export interface SourceText {
  file: string;
  text: string;
}

export interface ValidateInput {
  /** Files to check and report on. */
  files: readonly SourceText[];
  /** Files only read for the Tasks, Pipelines and StepActions that refs may name. */
  references?: readonly SourceText[];
  /** Severity overrides by rule name; `off` silences a rule. */
  rules?: Readonly<Partial<Record<RuleName, RuleSetting>>>;
  /** Report errors only (warnings are dropped before they are located). */
  errorsOnly?: boolean;
  /**
   * Leave out what Tekton finds only when it creates a TaskRun (a pipeline task that does not
   * bind a workspace its Task requires): a run fails that TaskRun, if it is not skipped.
   */
  beforeRun?: boolean;
  /** A fast data-only YAML parser (Bun's); files are then parsed with positions only when needed. */
  fastParse?: FastParse;
}

/** A Tekton document whose spec passed its schema, ready for the semantic checks. */
interface Checked {
  header: TektonHeader;
  spec: unknown;
  scope: Scope;
}

/** Validates Tekton documents as Tekton's webhook would, and refs between them. */
export function validate(input: ValidateInput): Diagnostic[] {
  const findings: Finding[] = [];
  const index = new ResourceIndex();
  const checked: Checked[] = [];
  const locators: Locator[] = [];
  for (const source of input.files) {
    const docs = loadDocuments(source, findings, input.fastParse, locators);
    for (const doc of docs) checkDocument(doc, findings, index, checked);
  }
  for (const source of input.references ?? []) {
    for (const doc of loadDocuments(source, [], input.fastParse, [])) {
      checkDocument(doc, [], index, []);
    }
  }
  for (const { header, spec, scope } of checked) {
    checkKind(header, spec, scope.at("spec"), index.from(scope.doc.file));
  }
  const diagnostics = unique(findings.flatMap((finding) => toDiagnostic(finding, input)));
  const broken = locators.filter((locator) => locator.error !== undefined);
  const kept = diagnostics.filter((d) => !broken.some((locator) => locator.file === d.file));
  const syntax = broken.map((locator) =>
    syntaxDiagnostic(locator.error as MalletError, locator.file),
  );
  return sortDiagnostics(
    [...kept, ...syntax],
    input.files.map((source) => source.file),
  );
}

function loadDocuments(
  source: SourceText,
  findings: Finding[],
  fastParse: FastParse | undefined,
  locators: Locator[],
): LoadedDocument[] {
  const fast = fastParse ? fastDocuments(source.text, fastParse) : undefined;
  if (fast) {
    const locator = new Locator(source, fast);
    locators.push(locator);
    return fast.map((doc, i) => ({
      file: source.file,
      index: i,
      data: doc.data,
      locate: (path) => locator.locate(i, path),
    }));
  }
  return loadPrecisely(source, findings);
}

// A file that does not parse is reported only when it looks like Tekton: the hook is handed
// every YAML file of a repository, templates with `{{ }}` among them.
function loadPrecisely(source: SourceText, findings: Finding[]): LoadedDocument[] {
  try {
    return preciseParser()(source.text, source.file);
  } catch (error) {
    if (!isMalletError(error) || !source.text.includes("tekton.dev/")) return [];
    const where = error.location ?? { file: source.file, line: 1, col: 1 };
    const doc: LoadedDocument = { file: source.file, index: 0, data: null, locate: () => where };
    findings.push({ doc, path: [], rule: "yaml-syntax", message: error.message });
    return [];
  }
}

/**
 * Positions for a fast-parsed file: by indentation where that is certain, else from a precise
 * parse made on the first question.
 */
class Locator {
  readonly file: string;
  error: MalletError | undefined;
  private docs: LoadedDocument[] | undefined;
  private fast: FastLocator | undefined;

  constructor(
    private readonly source: SourceText,
    private readonly ranges: readonly FastDocument[],
  ) {
    this.file = source.file;
  }

  locate(ordinal: number, path: DocPath): SourceLocation {
    const range = this.ranges[ordinal];
    this.fast ??= new FastLocator(this.source.text);
    const quick = range && !this.docs ? this.fast.locate(range.first, range.end, path) : undefined;
    if (quick) return { file: this.file, ...quick };
    if (!this.docs && !this.error) {
      try {
        this.docs = preciseParser()(this.source.text, this.file);
      } catch (error) {
        if (!isMalletError(error)) throw error;
        // The fast parser accepted what the precise one rejects: the file's problem is its syntax.
        this.error = error;
      }
    }
    return this.docs?.[ordinal]?.locate(path) ?? { file: this.file, line: 1, col: 1 };
  }
}

function syntaxDiagnostic(error: MalletError, file: string): Diagnostic {
  const { line, col } = error.location ?? { line: 1, col: 1 };
  return { file, line, col, severity: "error", rule: "yaml-syntax", message: error.message };
}

// The `yaml` package takes tens of milliseconds to load, and a run in which the fast parser
// read every file and found nothing never needs it: load it on first use.
function preciseParser(): (text: string, file: string) => LoadedDocument[] {
  const module = require("../load/parse-yaml.ts") as typeof import("../load/parse-yaml.ts");
  return module.parseYamlDocuments;
}

function checkDocument(
  doc: LoadedDocument,
  findings: Finding[],
  index: ResourceIndex,
  checked: Checked[],
): void {
  const header = readHeader(doc.data);
  if (!header) {
    reportUnknownKind(doc, findings);
    return;
  }
  const scope = new Scope(doc, findings);
  checkHeader(header, doc, scope);
  const raw = (doc.data as Record<string, unknown>).spec;
  const spec = checkSpecSchema(header.kind, header.apiVersion, raw, scope);
  if (spec === undefined) return;
  index.add(header.kind, header.name, doc.file, spec);
  checked.push({ header, spec, scope });
}

// Kinds of tekton.dev that Mallet does not check; any other kind there is a typo a cluster
// would refuse ("no matches for kind").
const OTHER_TEKTON_KINDS = new Set(["CustomRun", "Run", "ClusterTask", "VerificationPolicy"]);

function reportUnknownKind(doc: LoadedDocument, findings: Finding[]): void {
  const data = doc.data as { apiVersion?: unknown; kind?: unknown } | null;
  if (typeof data?.apiVersion !== "string" || !data.apiVersion.startsWith("tekton.dev/")) return;
  if (typeof data.kind !== "string" || OTHER_TEKTON_KINDS.has(data.kind)) return;
  const message = `unknown kind "${data.kind}" in ${data.apiVersion}`;
  new Scope(doc, findings).report("schema", ["kind"], message);
}

function checkKind(header: TektonHeader, spec: unknown, at: Scope, lookup: Lookup): void {
  switch (header.kind) {
    case "Task":
      return checkTaskSpec(spec as TaskSpec, at, NOTHING_PROPAGATED, lookup);
    case "Pipeline":
      return checkPipelineSpec(spec as PipelineSpec, at, NOTHING_PROPAGATED, lookup);
    case "TaskRun":
      return checkTaskRunSpec(spec as TaskRunSpec, at, lookup);
    case "PipelineRun":
      return checkPipelineRunSpec(spec as PipelineRunSpec, at, lookup);
    case "StepAction":
      return checkStepActionSpec(spec as StepActionSpec, at);
  }
}

function toDiagnostic(finding: Finding, input: ValidateInput): Diagnostic[] {
  const severity = input.rules?.[finding.rule] ?? RULES[finding.rule].severity;
  if (severity === "off" || (input.errorsOnly && severity === "warning")) return [];
  if (input.beforeRun && finding.atTaskRunStart) return [];
  const { file, line, col } = finding.doc.locate(finding.path);
  return [{ file, line, col, severity, rule: finding.rule, message: finding.message }];
}

// A string may hold the same mistake twice; one line says it.
function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\u0000${d.line}\u0000${d.col}\u0000${d.rule}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Counts errors and warnings, for the summary line and the exit code. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
} {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

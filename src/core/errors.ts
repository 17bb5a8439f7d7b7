/** A position in a source document, 1-based, as editors show it. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Stable codes for user-facing failures; the CLI maps them to exit codes. */
export type ErrorCode =
  | "YAML_SYNTAX"
  | "SCHEMA"
  | "INVALID_SPEC"
  | "UNKNOWN_REF"
  | "MISSING_PARAM"
  | "USAGE"
  | "INPUT"
  | "ENGINE"
  | "RESOLUTION";

/** A user error: a code, a message and, when it concerns a document, where. */
export class MalletError extends Error {
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, location?: SourceLocation) {
    super(message);
    this.name = "MalletError";
    this.code = code;
    this.location = location;
  }
}

/** Renders `file:line:col: message`, the one-line form every user error takes. */
export function formatError(error: MalletError): string {
  const where = error.location ? `${formatLocation(error.location)}: ` : "";
  return `${where}${error.message}`;
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.col}`;
}

export function isMalletError(value: unknown): value is MalletError {
  return value instanceof MalletError;
}

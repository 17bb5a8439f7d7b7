/**
 * Version constraints as the hub resolver takes them (hashicorp/go-version): `">= 0.5.0"`,
 * `">=0.7.0, < 2.0.0"`, `"~> 0.6"`. A plain version is a constraint of equality.
 */

/** A parsed version: numeric segments, with the count written (for `~>`), and a pre-release. */
export interface Version {
  segments: number[];
  written: number;
  prerelease: string;
}

type Operator = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~>";

interface Constraint {
  operator: Operator;
  version: Version;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const CONSTRAINT = /^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/;

/** Parses `1.2`, `v1.2.3`, `1.0.0-rc.1`; undefined when the text is no version. */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (!match) return undefined;
  const segments = (match[1] as string).split(".").map(Number);
  return { segments, written: segments.length, prerelease: match[2] ?? "" };
}

/** Orders versions; missing segments count as 0 and a pre-release comes before its release. */
export function compareVersions(a: Version, b: Version): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index++) {
    const diff = (a.segments[index] ?? 0) - (b.segments[index] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (a.prerelease === b.prerelease) return 0;
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** True when the text has an operator or a comma, so the hub's versions must be listed. */
export function isRange(text: string): boolean {
  return /[<>=!~,]/.test(text);
}

/** Parses a comma-separated list of constraints; undefined when any part does not parse. */
export function parseConstraints(text: string): Constraint[] | undefined {
  const constraints: Constraint[] = [];
  for (const part of text.split(",")) {
    const match = CONSTRAINT.exec(part.trim());
    const version = match ? parseVersion(match[2] as string) : undefined;
    if (!match || !version) return undefined;
    constraints.push({ operator: (match[1] ?? "=") as Operator, version });
  }
  return constraints;
}

/** The highest released version satisfying every constraint; pre-releases are passed over. */
export function pickVersion(available: readonly string[], constraints: Constraint[]) {
  let best: { text: string; version: Version } | undefined;
  for (const text of available) {
    const version = parseVersion(text);
    if (!version || version.prerelease) continue;
    if (!constraints.every((constraint) => satisfies(version, constraint))) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { text, version };
  }
  return best?.text;
}

function satisfies(version: Version, { operator, version: wanted }: Constraint): boolean {
  const order = compareVersions(version, wanted);
  switch (operator) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case ">":
      return order > 0;
    case "<":
      return order < 0;
    case ">=":
      return order >= 0;
    case "<=":
      return order <= 0;
    case "~>":
      return order >= 0 && samePrefix(version, wanted);
  }
}

// `~> 1.2.3` allows 1.2.x from 1.2.3 on; `~> 1.2` allows 1.x from 1.2 on.
function samePrefix(version: Version, wanted: Version): boolean {
  for (let index = 0; index < wanted.written - 1; index++) {
    if ((version.segments[index] ?? 0) !== wanted.segments[index]) return false;
  }
  return true;
}

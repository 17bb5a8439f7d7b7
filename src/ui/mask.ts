import type { RunEvent } from "../core/events.ts";
import type { Resource } from "../core/model/resources.ts";
import type { Renderer } from "./renderer.ts";

/** What replaces a secret value in every output. */
export const MASK = "***";

// Values this short would blank out ordinary words ("a", "on") everywhere, so they are not
// masked. LIMITATION: a one- or two-character secret is printed as it is.
const MIN_SECRET_LENGTH = 3;
// Short values (a username such as "git") are masked only as whole words, so task names like
// "git-clone" and URLs such as "github.com" stay readable; long values are masked anywhere.
const WHOLE_WORD_BELOW = 8;

/** Replaces known secret values in text. */
export interface Masker {
  mask(text: string): string;
  /** True when there is nothing to mask, so callers can skip the work. */
  readonly empty: boolean;
}

/** A masker for the given values; multi-line values are also masked line by line. */
export function createMasker(values: Iterable<string>): Masker {
  const needles = new Set<string>();
  for (const value of values) {
    for (const part of [value, ...value.split(/\r?\n/)]) {
      const trimmed = part.trim();
      if (trimmed.length >= MIN_SECRET_LENGTH) needles.add(trimmed);
    }
  }
  // Longest first, so a value that contains another is masked whole.
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return { mask: (text) => text, empty: true };
  const pattern = new RegExp(sorted.map(needlePattern).join("|"), "g");
  return { mask: (text) => text.replace(pattern, MASK), empty: false };
}

function needlePattern(value: string): string {
  const escaped = escapeRegExp(value);
  return value.length < WHOLE_WORD_BELOW
    ? `(?<![A-Za-z0-9_.-])${escaped}(?![A-Za-z0-9_.-])`
    : escaped;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every value of every Secret document in the input. */
export function secretValues(resources: readonly Resource[]): string[] {
  return resources.flatMap((resource) =>
    resource.kind === "Secret" ? Object.values(resource.data) : [],
  );
}

/**
 * The forms in which Mallet itself hands Secret values to steps, which a step may print: each
 * value URL-encoded (as in ~/.git-credentials) and a basic-auth Secret's `user:password` in
 * base64 (as in ~/.docker/config.json).
 */
export function encodedSecretValues(resources: readonly Resource[]): string[] {
  return resources.flatMap((resource) => {
    if (resource.kind !== "Secret") return [];
    const encoded = Object.values(resource.data).map(encodeURIComponent);
    const { username = "", password = "" } = resource.data;
    if (resource.type !== "kubernetes.io/basic-auth" || password === "") return encoded;
    return [...encoded, Buffer.from(`${username}:${password}`).toString("base64")];
  });
}

/** Masks every string inside a value (events, statuses), keeping its shape. */
export function maskDeep<T>(value: T, masker: Masker): T {
  if (masker.empty) return value;
  return maskValue(value, masker) as T;
}

function maskValue(value: unknown, masker: Masker): unknown {
  if (typeof value === "string") return masker.mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, masker));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = maskValue(item, masker);
    return out;
  }
  return value;
}

/** A renderer that masks secrets in each event before passing it on. */
export class MaskingRenderer implements Renderer {
  constructor(
    private readonly inner: Renderer,
    private readonly masker: Masker,
  ) {}

  handle(event: RunEvent): void {
    this.inner.handle(maskDeep(event, this.masker));
  }

  close(): Promise<void> | void {
    return this.inner.close();
  }
}

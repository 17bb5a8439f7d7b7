// Pure pieces of scripts/bench.ts: summaries of repeated timings and their Markdown.

/** Repeated measurements of one thing, in milliseconds (or any unit). */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The median and range of a list of measurements. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number, n: sorted.length };
}

/**
 * Ratios of paired measurements (the i-th of `a` over the i-th of `b`, taken in the same
 * repetition), so that a load spike on the machine touches both sides of a ratio alike.
 */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.slice(0, b.length).map((value, index) => value / (b[index] as number));
}

/** `812 ms (790–850)`, or seconds above ten seconds. */
export function formatMs(summary: Summary): string {
  if (summary.n === 0) return "n/a";
  const unit = (ms: number) =>
    summary.median >= 10_000 ? `${(ms / 1000).toFixed(1)}` : ms.toFixed(0);
  const suffix = summary.median >= 10_000 ? "s" : "ms";
  return `${unit(summary.median)} ${suffix} (${unit(summary.min)}–${unit(summary.max)})`;
}

/** `0.93 (0.90–0.97)`. */
export function formatRatio(summary: Summary): string {
  if (summary.n === 0) return "n/a";
  return `${summary.median.toFixed(2)} (${summary.min.toFixed(2)}–${summary.max.toFixed(2)})`;
}

/** `48.2 MiB (47.9–48.5)` from kibibytes (what GNU time reports). */
export function formatKb(summary: Summary): string {
  if (summary.n === 0) return "n/a";
  const mb = (kb: number) => (kb / 1024).toFixed(1);
  return `${mb(summary.median)} MiB (${mb(summary.min)}–${mb(summary.max)})`;
}

/** A Markdown table: a header row and rows of cells. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>) {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

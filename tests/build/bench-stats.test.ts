import { expect, test } from "bun:test";
import {
  formatKb,
  formatMs,
  formatRatio,
  markdownTable,
  pairedRatios,
  summarize,
} from "../../scripts/bench-stats.ts";

test.each([
  [[3, 1, 2], { median: 2, min: 1, max: 3, n: 3 }],
  [[4, 1, 3, 2], { median: 2.5, min: 1, max: 4, n: 4 }],
  [[7], { median: 7, min: 7, max: 7, n: 1 }],
])("summarize(%p)", (values, expected) => {
  expect(summarize(values)).toEqual(expected);
});

test("pairedRatios divides measurements of the same round", () => {
  expect(pairedRatios([900, 1200, 500], [1000, 1000])).toEqual([0.9, 1.2]);
});

test.each([
  [formatMs(summarize([812, 790, 850])), "812 ms (790–850)"],
  [formatMs(summarize([12_345, 11_000, 14_000])), "12.3 s (11.0–14.0)"],
  [formatMs(summarize([])), "n/a"],
  [formatRatio(summarize([0.93, 0.9, 0.97])), "0.93 (0.90–0.97)"],
  [formatKb(summarize([49_152, 48_128])), "47.5 MiB (47.0–48.0)"],
])("%p", (formatted, expected) => {
  expect(formatted).toBe(expected);
});

test("markdownTable", () => {
  expect(markdownTable(["a", "b"], [["1", "2"]])).toBe("| a | b |\n| --- | --- |\n| 1 | 2 |");
});

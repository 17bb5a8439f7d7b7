import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "../../src/core/duration.ts";

describe("parseDuration", () => {
  test.each<[string, number | undefined]>([
    ["0", 0],
    ["10s", 10_000],
    ["1m", 60_000],
    ["1h30m", 5_400_000],
    ["1h0m0s", 3_600_000],
    ["1.5s", 1_500],
    ["250ms", 250],
    ["2000us", 2],
    ["2000µs", 2],
    ["1000000ns", 1],
    ["", undefined],
    ["10", undefined],
    ["-1s", undefined],
    ["1d", undefined],
    ["1h 30m", undefined],
    ["s", undefined],
  ])("%p → %p", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe("formatDuration (as Go prints it)", () => {
  test.each<[number, string]>([
    [500, "500ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [60_000, "1m0s"],
    [90_000, "1m30s"],
    [3_600_000, "1h0m0s"],
    [5_400_000, "1h30m0s"],
  ])("%p → %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

import { describe, expect, test } from "bun:test";
import type { RunEvent } from "../../src/core/events.ts";
import { createMasker, MASK, MaskingRenderer } from "../../src/ui/mask.ts";
import type { Renderer } from "../../src/ui/renderer.ts";

describe("createMasker", () => {
  const cases: Array<[string, string[], string, string]> = [
    ["a value anywhere in a line", ["s3cr3t"], "token=s3cr3t;", `token=${MASK};`],
    ["every occurrence", ["abc123"], "abc123 abc123", `${MASK} ${MASK}`],
    ["the longer of two overlapping values first", ["pass", "password1"], "password1", MASK],
    ["regex characters taken literally", ["a.b*c"], "a.b*c axbbc", `${MASK} axbbc`],
    ["each line of a multi-line value", ["line-one\nline-two"], "line-two", MASK],
    ["not values too short to be secrets", ["ab"], "ab cab", "ab cab"],
    ["nothing when there is nothing to mask", [], "plain text", "plain text"],
  ];
  test.each(cases)("masks %s", (_case, secrets, text, expected) => {
    expect(createMasker(secrets).mask(text)).toBe(expected);
  });
});

describe("MaskingRenderer", () => {
  test("masks log lines, messages and statuses before any renderer sees them", () => {
    const seen: RunEvent[] = [];
    const inner: Renderer = { handle: (event) => seen.push(event), close: () => {} };
    const renderer = new MaskingRenderer(inner, createMasker(["hunter2"]));
    const key = { task: "t", taskRun: "r-t" };
    renderer.handle({ kind: "log", ...key, step: "s", stream: "stdout", line: "pw is hunter2" });
    renderer.handle({ kind: "warning", message: "hunter2 leaked" });
    expect(seen).toEqual([
      { kind: "log", ...key, step: "s", stream: "stdout", line: `pw is ${MASK}` },
      { kind: "warning", message: `${MASK} leaked` },
    ]);
  });
});

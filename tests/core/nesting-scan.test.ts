import { expect, test } from "bun:test";
import { findDeepNesting, positionOf } from "../../src/core/load/nesting-scan.ts";

const LIMIT = 5;

test.each([
  ["flat mapping", "a: 1\nb: 2\n", undefined],
  ["flow brackets within the limit", "a: [[[[1]]]]\n", undefined],
  ["flow brackets past the limit", "a: [[[[[[1]]]]]]\n", 7],
  ["brackets in quotes count for nothing", `a: "[[[[[[[["\nb: '{{{{{{{{'\n`, undefined],
  ["brackets in a comment count for nothing", "a: 1 # [[[[[[[[\n", undefined],
  [
    "brackets in a block scalar count for nothing",
    "s: |\n  [[[[[[[[\n  {{{{{{{{\nb: 1\n",
    undefined,
  ],
  ["compact sequences", "- - - - - - x\n", 8],
  ["rising indentation", "a:\n b:\n  c:\n   d:\n    e:\n     f: 1\n", 30],
  ["indentation that falls back", "a:\n b:\n  c: 1\nd:\n e:\n  f: 1\n", undefined],
])("%s", (_, text, expected) => {
  expect(findDeepNesting(text, LIMIT)).toBe(expected);
});

test.each([
  [0, { line: 1, col: 1 }],
  [3, { line: 1, col: 4 }],
  [4, { line: 2, col: 1 }],
  [10, { line: 3, col: 2 }],
])("offset %p is at %p", (offset, expected) => {
  expect(positionOf("abc\ndefg\nhi", offset)).toEqual(expected);
});

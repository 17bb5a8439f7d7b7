import { describe, expect, test } from "bun:test";
import { fastDocuments, needsPreciseParser } from "../../src/core/validate/fast-load.ts";

describe("needsPreciseParser finds repeated keys and unusual YAML", () => {
  test.each([
    ["a: 1\nb: 2\n", false],
    ["a: 1\na: 2\n", true],
    ["steps:\n  - name: a\n    image: x\n  - name: b\n    image: y\n", false],
    ["steps:\n  - name: a\n    image: x\n    image: y\n", true],
    ["params:\n- name: a\n- name: b\nsteps: []\n", false],
    ["spec:\n  params:\n  - name: a\n  params: []\n", true],
    ["s:\n  script: |\n    a: 1\n    a: 1\n  b: 2\n", false],
    ["s:\n  script: |\n    a: 1\n  script: 2\n", true],
    ["- - a: 1\n    a: 2\n", true],
    ["x:\n  y: 1\nz:\n  y: 2\n", false],
    ["a: 1\n---\na: 2\n", false],
    ['"a": 1\na: 2\n', true],
    ['- name: x\n  value: "a: b"\n- name: y\n', false],
    ["script: |\n  ls *.txt ${!names[@]} &job\n  a: 1\n  a: 1\n", false],
    ["args:\n  - |\n    a: 1\n    a: 1\n", false],
    ["a: &anchor 1\nb: *anchor\n", true],
    ["a: !!str 1\n", true],
    ["<<: {a: 1}\n", true],
  ])("%j -> %p", (text, expected) => {
    expect(needsPreciseParser(text)).toBe(expected);
  });
});

describe("fastDocuments", () => {
  const parse = Bun.YAML.parse;

  test("splits documents, drops empty ones and knows their lines", () => {
    expect(fastDocuments("a: 1\n---\n# only a comment\n---\n- b\n", parse)).toEqual([
      { data: { a: 1 }, first: 0, end: 1 },
      { data: ["b"], first: 4, end: 6 },
    ]);
  });

  test.each([
    ["an anchor", "a: &x 1\nb: *x\n"],
    ["a merge key", "<<: {a: 1}\nb: 2\n"],
    ["a tag", "a: !!str 1\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a marker with content", "--- a: 1\n"],
    ["a tab", "a:\n\tb: 1\n"],
    ["CRLF lines", "a: 1\r\n---\r\nb: 2\r\n"],
    ["a repeated key", "a: 1\na: 2\n"],
    ["a syntax error", "a: [1\n"],
    ["deep nesting", `${"[".repeat(300)}${"]".repeat(300)}\n`],
  ])("leaves %s to the precise parser", (_name, text) => {
    expect(fastDocuments(text, parse)).toBeUndefined();
  });
});

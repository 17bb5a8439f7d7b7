import { expect, test } from "bun:test";
import type { ResultSpec } from "../../src/core/model/common.ts";
import {
  parseResults,
  RESULTS_SIZE_LIMIT,
  RESULTS_TOO_LARGE,
} from "../../src/core/task/results.ts";

const declared: ResultSpec[] = [
  { name: "text" },
  { name: "list", type: "array" },
  { name: "obj", type: "object", properties: { url: { type: "string" }, rev: { type: "string" } } },
];

test.each<[string, Record<string, string>, ReturnType<typeof parseResults>]>([
  [
    "a string result is kept verbatim, trailing newline and spaces included",
    { text: "  hello\n" },
    { ok: true, results: [{ name: "text", value: "  hello\n" }] },
  ],
  [
    "array and object results are parsed from JSON",
    { list: '["a","b"]', obj: '{"url":"u","rev":"r","extra":"e"}' },
    {
      ok: true,
      results: [
        { name: "list", value: ["a", "b"] },
        { name: "obj", value: { url: "u", rev: "r", extra: "e" } },
      ],
    },
  ],
  [
    "results that were not written are absent; undeclared files are ignored",
    { other: "x" },
    { ok: true, results: [] },
  ],
  [
    "an array result that is not JSON fails the TaskRun",
    { text: "ok", list: "a,b" },
    {
      ok: false,
      reason: "TaskRunValidationFailed",
      message:
        'Provided results don\'t match declared results; may be invalid JSON or missing result declaration: "list" is declared array but is not valid JSON',
      results: [{ name: "text", value: "ok" }],
    },
  ],
  [
    "an array of numbers is not an array of strings",
    { list: "[1,2]" },
    {
      ok: false,
      reason: "TaskRunValidationFailed",
      message:
        'Provided results don\'t match declared results; may be invalid JSON or missing result declaration: "list" is declared array but is not an array of strings',
      results: [],
    },
  ],
  [
    "an object missing a declared key",
    { obj: '{"url":"u"}' },
    {
      ok: false,
      reason: "TaskRunValidationFailed",
      message:
        'Provided results don\'t match declared results; may be invalid JSON or missing result declaration: "obj" misses keys rev',
      results: [],
    },
  ],
  [
    "an object result given an array",
    { obj: '["u"]' },
    {
      ok: false,
      reason: "TaskRunValidationFailed",
      message:
        'Provided results don\'t match declared results; may be invalid JSON or missing result declaration: "obj" is declared object but is not a JSON object',
      results: [],
    },
  ],
])("%s", (_, raw, expected) => {
  expect(parseResults(declared, new Map(Object.entries(raw)))).toEqual(expected);
});

test("all results together may hold the size limit but not one byte more", () => {
  const half = "x".repeat(RESULTS_SIZE_LIMIT / 2);
  const specs: ResultSpec[] = [{ name: "a" }, { name: "b" }];
  expect(
    parseResults(
      specs,
      new Map([
        ["a", half],
        ["b", half],
      ]),
    ).ok,
  ).toBe(true);
  expect(
    parseResults(
      specs,
      new Map([
        ["a", half],
        ["b", `${half}y`],
      ]),
    ),
  ).toEqual({
    ok: false,
    reason: "TaskRunResultLargerThanAllowedLimit",
    message: RESULTS_TOO_LARGE,
    results: [
      { name: "a", value: half },
      { name: "b", value: `${half}y` },
    ],
  });
});

test("the size counts bytes, not characters", () => {
  const text = "é".repeat(2049);
  expect(parseResults([{ name: "a" }], new Map([["a", text]]))).toMatchObject({
    ok: false,
    reason: "TaskRunResultLargerThanAllowedLimit",
  });
  expect(RESULTS_TOO_LARGE).toBe(
    "Termination message is above max allowed size 4096, caused by large task result.",
  );
});

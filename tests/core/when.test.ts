import { describe, expect, test } from "bun:test";
import type { WhenExpression } from "../../src/core/model/common.ts";
import { describeWhen, evaluateWhen } from "../../src/core/task/when.ts";

describe("evaluateWhen", () => {
  test.each<[string, WhenExpression[] | undefined, boolean]>([
    ["no expressions hold", undefined, true],
    ["an empty list holds", [], true],
    [
      "in: the input is among the values",
      [{ input: "a", operator: "in", values: ["b", "a"] }],
      true,
    ],
    ["in: the input is not among them", [{ input: "c", operator: "in", values: ["a"] }], false],
    ["notin: the input is absent", [{ input: "c", operator: "notin", values: ["a"] }], true],
    ["notin: the input is present", [{ input: "a", operator: "notin", values: ["a"] }], false],
    ["in is the default operator", [{ input: "a", values: ["a"] }], true],
    ["an empty input matches an empty value", [{ input: "", operator: "in", values: [""] }], true],
    ["no values never hold for in", [{ input: "a", operator: "in", values: [] }], false],
    ["cel ==", [{ cel: "'main' == 'main'" }], true],
    ["cel !=", [{ cel: "'main' != 'dev'" }], true],
    ["cel false", [{ cel: "'main' == 'dev'" }], false],
    ["unsupported cel is false", [{ cel: "1 < 2" }], false],
  ])("%s", (_, expressions, pass) => {
    expect(evaluateWhen(expressions).pass).toBe(pass);
  });

  test("every expression must hold; the first that does not is reported", () => {
    const second: WhenExpression = { input: "x", operator: "in", values: ["y"] };
    const third: WhenExpression = { input: "z", operator: "in", values: ["w"] };
    expect(evaluateWhen([{ input: "a", operator: "in", values: ["a"] }, second, third])).toEqual({
      pass: false,
      failed: second,
    });
  });
});

describe("describeWhen", () => {
  test.each<[WhenExpression, string]>([
    [
      { input: "dev", operator: "in", values: ["main", "release"] },
      '"dev" in [main, release] is false',
    ],
    [{ input: "main", operator: "notin", values: ["main"] }, '"main" notin [main] is false'],
    [{ input: "x", values: [] }, '"x" in [] is false'],
    [{ cel: "'a' == 'b'" }, "cel \"'a' == 'b'\" is false"],
  ])("%p → %s", (expression, text) => {
    expect(describeWhen(expression)).toBe(text);
  });
});

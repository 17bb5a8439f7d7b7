import { describe, expect, test } from "bun:test";
import type { ParamValue } from "../../src/core/model/common.ts";
import { parseReference, SubstitutionError } from "../../src/core/subst/reference.ts";
import {
  findExpressions,
  substituteArray,
  substituteDeep,
  substituteString,
  substituteValue,
} from "../../src/core/subst/substitute.ts";
import { caught } from "../helpers/caught.ts";

const vars = new Map<string, ParamValue>([
  ["params.name", "world"],
  ["params.list", ["a", "b", "c"]],
  ["params.obj", { url: "https://x", rev: "main" }],
  ["params.empty", []],
  ["params.dotted.name", "dotted"],
  ["context.taskRun.name", "tr-1"],
]);

describe("parseReference", () => {
  test.each([
    ["params.x", ["params", "x"], undefined],
    ["params.x[*]", ["params", "x"], "*"],
    ["params.x[2]", ["params", "x"], 2],
    ["params.obj.key", ["params", "obj", "key"], undefined],
    ["params['x']", ["params", "x"], undefined],
    ['params["x"]', ["params", "x"], undefined],
    ["params['x'][*]", ["params", "x"], "*"],
    ["params['a.b']", ["params", "a.b"], undefined],
    ["inputs.params.x", ["params", "x"], undefined],
    [" params.x ", ["params", "x"], undefined],
    ["tasks.build.results.digest", ["tasks", "build", "results", "digest"], undefined],
    ["steps.step-a.exitCode.path", ["steps", "step-a", "exitCode", "path"], undefined],
  ] as const)("%s", (expr, segments, index) => {
    expect(parseReference(expr)).toEqual({ segments: [...segments], index });
  });

  test.each(["", "params.x y", "1+2", "params.x[", "[*]", "params..x$"])(
    "%p is not a reference",
    (expr) => {
      expect(parseReference(expr)).toBeUndefined();
    },
  );
});

describe("substituteString", () => {
  test.each([
    ["hello $(params.name)", "hello world"],
    ["$(params.name)$(params.name)", "worldworld"],
    ["$( params.name )", "world"],
    ["$(params['name'])", "world"],
    ['$(params["name"])', "world"],
    ["$(inputs.params.name)", "world"],
    ["$(params.list[1])", "b"],
    ["$(params.list[0])-$(params.list[2])", "a-c"],
    ["$(params.obj.url)#$(params.obj.rev)", "https://x#main"],
    ["$(params['obj'].rev)", "main"],
    ["$(params['dotted.name'])", "dotted"],
    ["$(context.taskRun.name)", "tr-1"],
    // Unknown references are left as written, as Tekton does at run time.
    ["$(params.missing)", "$(params.missing)"],
    ["$(params.obj.nokey)", "$(params.obj.nokey)"],
    ["$(workspaces.src.path)", "$(workspaces.src.path)"],
    ["$(params.name[0])", "$(params.name[0])"],
    // An array or a whole object is not a string: it stays as written.
    ["args: $(params.list[*])", "args: $(params.list[*])"],
    ["$(params.list)", "$(params.list)"],
    ["$(params.obj[*])", "$(params.obj[*])"],
    // Dollars that are not references pass through.
    ["$", "$"],
    ["$$", "$$"],
    ["costs $5", "costs $5"],
    ["$(", "$("],
    ["echo $(", "echo $("],
    ["$((1+2))", "$((1+2))"],
    ["echo $(( $(params.name) ))", "echo $(( world ))"],
    ["$$(params.name)", "$world"],
    ["$(echo hi)", "$(echo hi)"],
    ["${HOME}", "${HOME}"],
  ])("%p → %p", (text, expected) => {
    expect(substituteString(text, vars)).toBe(expected);
  });

  test("a value is inserted once: references inside it are not substituted again", () => {
    const nested = new Map<string, ParamValue>([
      ["params.a", "$(params.b)"],
      ["params.b", "B"],
    ]);
    expect(substituteString("$(params.a)", nested)).toBe("$(params.b)");
  });

  test.each([
    ["$(params.list[3])", 'index 3 is out of range for "params.list", which has 3 items'],
    ["x $(params.empty[0])", 'index 0 is out of range for "params.empty", which has 0 items'],
  ])("%p fails with ParamArrayIndexingInvalid", (text, message) => {
    const error = caught(() => substituteString(text, vars));
    expect(error).toBeInstanceOf(SubstitutionError);
    expect((error as SubstitutionError).reason).toBe("ParamArrayIndexingInvalid");
    expect((error as SubstitutionError).message).toBe(message);
  });
});

describe("substituteArray", () => {
  test.each([
    [["$(params.list[*])"], ["a", "b", "c"]],
    [
      ["x", "$(params.list[*])", "y"],
      ["x", "a", "b", "c", "y"],
    ],
    [[" $(params.list[*]) "], ["a", "b", "c"]],
    [["$(params.list)"], ["a", "b", "c"]],
    [["$(params['list'][*])"], ["a", "b", "c"]],
    [["$(params.empty[*])", "end"], ["end"]],
    // Inside a longer element the array is not expanded.
    [["--items=$(params.list[*])"], ["--items=$(params.list[*])"]],
    [["$(params.list[*])$(params.list[*])"], ["$(params.list[*])$(params.list[*])"]],
    [
      ["$(params.name)", "$(params.list[2])"],
      ["world", "c"],
    ],
    [["$(params.missing[*])"], ["$(params.missing[*])"]],
    [["$(params.name[*])"], ["$(params.name[*])"]],
  ])("%p → %p", (items, expected) => {
    expect(substituteArray(items, vars)).toEqual(expected);
  });
});

describe("substituteValue", () => {
  test.each<[ParamValue, ParamValue]>([
    ["$(params.list)", ["a", "b", "c"]],
    ["$(params.list[*])", ["a", "b", "c"]],
    ["$(params.obj)", { url: "https://x", rev: "main" }],
    ["$(params.obj[*])", { url: "https://x", rev: "main" }],
    ["$(params.name)", "world"],
    ["pre-$(params.list[*])", "pre-$(params.list[*])"],
    [
      ["$(params.list[*])", "d"],
      ["a", "b", "c", "d"],
    ],
    [
      { k: "$(params.name)", j: "$(params.obj.rev)" },
      { k: "world", j: "main" },
    ],
  ])("%p → %p", (value, expected) => {
    expect(substituteValue(value, vars)).toEqual(expected);
  });
});

describe("substituteDeep", () => {
  test("walks objects and arrays, expanding string arrays and skipping listed keys", () => {
    const input = {
      image: "alpine:$(params.name)",
      args: ["$(params.list[*])", "--"],
      env: [{ name: "N", value: "$(params.obj.url)" }],
      count: 3,
      flag: true,
      taskSpec: { script: "$(params.name)" },
    };
    expect(substituteDeep(input, vars, new Set(["taskSpec"]))).toEqual({
      image: "alpine:world",
      args: ["a", "b", "c", "--"],
      env: [{ name: "N", value: "https://x" }],
      count: 3,
      flag: true,
      taskSpec: { script: "$(params.name)" },
    });
  });
});

describe("findExpressions", () => {
  test.each([
    ["$(params.a) and $(tasks.t.results.r[*])", ["params.a", "tasks.t.results.r[*]"]],
    ["$((1+2)) $(", []],
    ["$(( $(params.n) ))", ["params.n"]],
  ])("%p → %p", (text, expected) => {
    expect(findExpressions(text)).toEqual(expected);
  });
});

import { describe, expect, test } from "bun:test";
import type { Param, ParamSpec, ParamType, ParamValue } from "../../src/core/model/common.ts";
import { paramType, paramVars, resolveParams, valueType } from "../../src/core/subst/params.ts";

describe("paramType", () => {
  test.each<[string, ParamSpec, ParamType]>([
    ["explicit type wins", { name: "p", type: "array", default: "x" }, "array"],
    ["properties make an object", { name: "p", properties: { a: {} } }, "object"],
    ["an array default makes an array", { name: "p", default: ["a"] }, "array"],
    ["an object default makes an object", { name: "p", default: { a: "1" } }, "object"],
    ["a string default makes a string", { name: "p", default: "x" }, "string"],
    ["nothing makes a string", { name: "p" }, "string"],
  ])("%s", (_, spec, expected) => {
    expect(paramType(spec)).toBe(expected);
  });
});

describe("valueType", () => {
  test.each<[ParamValue, ParamType]>([
    ["x", "string"],
    [[], "array"],
    [{}, "object"],
  ])("%p is %s", (value, expected) => {
    expect(valueType(value)).toBe(expected);
  });
});

function resolve(specs: ParamSpec[], given: Param[], extra = new Map<string, ParamValue>()) {
  const { values, problems } = resolveParams(specs, given, extra);
  return { values: Object.fromEntries(values), problems };
}

describe("resolveParams", () => {
  test("given values win over defaults; undeclared given values are kept for propagation", () => {
    const specs: ParamSpec[] = [
      { name: "a", default: "A" },
      { name: "b", default: "B" },
    ];
    expect(
      resolve(specs, [
        { name: "a", value: "given" },
        { name: "extra", value: "E" },
      ]),
    ).toEqual({
      values: { a: "given", extra: "E", b: "B" },
      problems: [],
    });
  });

  test("a default may reference a given param, an earlier default and context variables", () => {
    const specs: ParamSpec[] = [
      { name: "registry", default: "quay.io" },
      { name: "repo" },
      { name: "image", default: "$(params.registry)/$(params.repo):$(context.pipelineRun.name)" },
      { name: "args", default: ["$(params.repo)", "--verbose"] },
    ];
    const context = new Map<string, ParamValue>([["context.pipelineRun.name", "run-1"]]);
    expect(resolve(specs, [{ name: "repo", value: "team/app" }], context).values).toEqual({
      registry: "quay.io",
      repo: "team/app",
      image: "quay.io/team/app:run-1",
      args: ["team/app", "--verbose"],
    });
  });

  test("a default may reference a param declared after it", () => {
    const specs: ParamSpec[] = [
      { name: "image", default: "$(params.registry)/app" },
      { name: "registry", default: "quay.io" },
    ];
    expect(resolve(specs, []).values).toEqual({ image: "quay.io/app", registry: "quay.io" });
  });

  test("chains of defaults resolve in any order; a cycle ends unresolved", () => {
    const chain: ParamSpec[] = [
      { name: "a", default: "$(params.b)!" },
      { name: "b", default: "$(params.c)?" },
      { name: "c", default: "C" },
    ];
    expect(resolve(chain, []).values).toEqual({ a: "C?!", b: "C?", c: "C" });
    const cycle: ParamSpec[] = [
      { name: "x", default: "$(params.y)" },
      { name: "y", default: "$(params.x)" },
    ];
    expect(resolve(cycle, []).values).toEqual({ x: "$(params.y)", y: "$(params.y)" });
  });

  test("a default that is one array reference takes the array", () => {
    const specs: ParamSpec[] = [
      { name: "list", type: "array" },
      { name: "copy", type: "array", default: ["$(params.list[*])"] },
    ];
    expect(resolve(specs, [{ name: "list", value: ["x", "y"] }]).values).toEqual({
      list: ["x", "y"],
      copy: ["x", "y"],
    });
  });

  test("object params merge per key: given keys win, missing keys come from the default", () => {
    const specs: ParamSpec[] = [
      {
        name: "git",
        properties: { url: {}, revision: {} },
        default: { url: "https://default", revision: "main" },
      },
    ];
    expect(resolve(specs, [{ name: "git", value: { revision: "v1" } }])).toEqual({
      values: { git: { url: "https://default", revision: "v1" } },
      problems: [],
    });
  });

  test("every missing param is named in one problem", () => {
    const specs: ParamSpec[] = [{ name: "a" }, { name: "b", default: "B" }, { name: "c" }];
    expect(resolve(specs, []).problems).toEqual([
      { code: "MISSING_PARAM", message: 'missing value for param "a", "c"' },
    ]);
  });

  test.each<[string, ParamSpec, ParamValue, string]>([
    [
      "array given for a string",
      { name: "p" },
      ["x"],
      'param "p" is declared string but got array',
    ],
    [
      "string given for an array",
      { name: "p", type: "array" },
      "x",
      'param "p" is declared array but got string',
    ],
    [
      "string given for an object",
      { name: "p", properties: { k: {} } },
      "x",
      'param "p" is declared object but got string',
    ],
    [
      "object given for an array default",
      { name: "p", default: ["a"] },
      { k: "v" },
      'param "p" is declared array but got object',
    ],
    [
      "a value outside the enum",
      { name: "p", enum: ["dev", "prod"] },
      "test",
      'param "p" is "test", not one of dev, prod',
    ],
  ])("type mismatch: %s", (_, spec, value, message) => {
    expect(resolve([spec], [{ name: "p", value }]).problems).toEqual([
      { code: "INVALID_SPEC", message },
    ]);
  });

  test("an object missing a declared key is reported", () => {
    const specs: ParamSpec[] = [{ name: "git", properties: { url: {}, revision: {} } }];
    expect(resolve(specs, [{ name: "git", value: { url: "u" } }]).problems).toEqual([
      { code: "MISSING_PARAM", message: 'object param "git" misses keys revision' },
    ]);
  });

  test("an unresolved reference is not type-checked yet", () => {
    const specs: ParamSpec[] = [{ name: "list", type: "array" }];
    expect(resolve(specs, [{ name: "list", value: "$(tasks.a.results.r[*])" }]).problems).toEqual(
      [],
    );
  });
});

test("paramVars keys each value as params.<name>", () => {
  const vars = paramVars(
    new Map<string, ParamValue>([
      ["a", "1"],
      ["b", ["x"]],
    ]),
  );
  expect([...vars]).toEqual([
    ["params.a", "1"],
    ["params.b", ["x"]],
  ]);
});

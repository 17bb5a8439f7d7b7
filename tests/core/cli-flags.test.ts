import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { many, parseParamFlags, parseWorkspaceFlags } from "../../src/cli/flags.ts";
import { MalletError } from "../../src/core/errors.ts";
import type { Param, ParamSpec } from "../../src/core/model/common.ts";
import type { WorkspaceBinding } from "../../src/core/model/runs.ts";
import { caught } from "../helpers/caught.ts";

function usageError(run: () => unknown): string {
  const error = caught(run);
  expect(error).toBeInstanceOf(MalletError);
  expect((error as MalletError).code).toBe("USAGE");
  return (error as MalletError).message;
}

test.each<[unknown, string[]]>([
  [undefined, []],
  [false, []],
  ["a", ["a"]],
  [
    ["a", "b"],
    ["a", "b"],
  ],
  [3, ["3"]],
])("many(%p) → %p", (value, expected) => {
  expect(many(value)).toEqual(expected);
});

describe("parseParamFlags (-p), typed by the declared params", () => {
  const specs: ParamSpec[] = [
    { name: "list", type: "array" },
    { name: "inferred", default: ["x"] },
    { name: "obj", properties: { url: {}, rev: {} } },
    { name: "text" },
  ];

  test.each<[string, Param]>([
    ["text=a,b=c", { name: "text", value: "a,b=c" }],
    ["text=", { name: "text", value: "" }],
    ["undeclared=a,b", { name: "undeclared", value: "a,b" }],
    ["list=a,b,c", { name: "list", value: ["a", "b", "c"] }],
    ["list=", { name: "list", value: [] }],
    ["inferred=one", { name: "inferred", value: ["one"] }],
    ["obj=url:https://x, rev: main", { name: "obj", value: { url: "https://x", rev: "main" } }],
  ])("%s", (flag, expected) => {
    expect(parseParamFlags([flag], specs)).toEqual([expected]);
  });

  test.each([
    ["novalue", "-p novalue: expected name=value"],
    ["=x", "-p =x: expected name=value"],
    ["obj=url", "-p obj=url: object params take key:value pairs"],
  ])("%s is a usage error", (flag, message) => {
    expect(usageError(() => parseParamFlags([flag], specs))).toBe(message);
  });
});

describe("parseWorkspaceFlags (-w)", () => {
  test.each<[string, WorkspaceBinding]>([
    ["name=src,path=.", { name: "src", hostPath: { path: resolve(".") } }],
    ["name=src,path=/tmp,subPath=dir", { name: "src", subPath: "dir", hostPath: { path: "/tmp" } }],
    ["name=tmp,emptyDir=", { name: "tmp", emptyDir: {} }],
    ["name=cache,claimName=pvc", { name: "cache", persistentVolumeClaim: { claimName: "pvc" } }],
    ["name=conf,config=app", { name: "conf", configMap: { name: "app" } }],
    ["name=creds,secret=token", { name: "creds", secret: { secretName: "token" } }],
  ])("%s", (flag, expected) => {
    expect(parseWorkspaceFlags([flag])).toEqual([expected]);
  });

  test.each([
    ["src", "-w src: expected key=value pairs, such as name=src,path=."],
    ["path=.", "-w path=.: name= is required"],
    ["name=src", "-w name=src: give one of path=, emptyDir=, claimName=, config= or secret="],
    [
      "name=src,path=/no/such/dir",
      "-w name=src,path=/no/such/dir: /no/such/dir is not an existing directory",
    ],
  ])("%s is a usage error", (flag, message) => {
    expect(usageError(() => parseWorkspaceFlags([flag]))).toBe(message);
  });
});

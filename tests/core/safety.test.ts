import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import {
  containerPathProblem,
  documentSafetyProblems,
  nameProblem,
  relativePathProblem,
  tektonMountProblem,
} from "../../src/core/task/safety.ts";

const NAME_RULE = 'use letters, digits, "-", "_" and ".", starting with a letter or digit';

describe("names that become host path components", () => {
  test.each([
    ["build", undefined],
    ["step-1_a.b", undefined],
    ["a..b", undefined],
    ["..", `step name ".." is not allowed: ${NAME_RULE}`],
    [".hidden", `step name ".hidden" is not allowed: ${NAME_RULE}`],
    ["a/b", `step name "a/b" is not allowed: ${NAME_RULE}`],
    ["", `step name "" is not allowed: ${NAME_RULE}`],
    ["x".repeat(254), `step name "${"x".repeat(77)}..." is not allowed: ${NAME_RULE}`],
  ])("%p", (name, expected) => {
    expect(nameProblem(name, "step")).toBe(expected);
  });
});

describe("paths", () => {
  test.each([
    ["dir/sub", undefined],
    ["a..b/c", undefined],
    ["../x", 'subPath "../x" must not contain ".."'],
    ["a/../../x", 'subPath "a/../../x" must not contain ".."'],
    ["/etc", 'subPath "/etc" must be a relative path'],
  ])("relative %p", (path, expected) => {
    expect(relativePathProblem(path, "subPath")).toBe(expected);
  });

  test.each([
    ["/workspace/src", undefined],
    ["relative/dir", undefined],
    ["/workspace/../etc", 'workingDir "/workspace/../etc" must not contain ".."'],
  ])("container %p", (path, expected) => {
    expect(containerPathProblem(path, "workingDir")).toBe(expected);
  });

  test.each([
    ["/tekton/home", undefined],
    ["/tekton/home/.ssh", undefined],
    ["/data", undefined],
    [
      "/tekton/results",
      'volumeMount cannot be mounted under /tekton/ (volumeMount "v" mounted at "/tekton/results")',
    ],
  ])("mountPath %p", (mountPath, expected) => {
    expect(tektonMountProblem("v", mountPath)).toBe(expected);
  });
});

describe("documentSafetyProblems", () => {
  const problems = (yaml: string) => documentSafetyProblems(parse(yaml));

  test("a clean document has none", () => {
    expect(
      problems(`
metadata: {name: ok}
spec:
  params: [{name: p, value: {subPath: ../not-a-path}}]
  workspaces: [{name: w, emptyDir: {}, subPath: sub}]
  taskSpec:
    steps:
      - name: s
        workingDir: $(params.dir)/../x
        env: [{name: "../not-a-path-either", value: x}]
`),
    ).toEqual([]);
  });

  test("each problem is reported at its path, in document order", () => {
    expect(
      problems(`
metadata: {name: a/b}
spec:
  workspaces: [{name: w, hostPath: {path: /}}]
  taskSpec:
    volumes: [{name: v, configMap: {name: c, items: [{key: k, path: ../k}]}}]
    steps:
      - name: s
        volumeMounts: [{name: v, mountPath: /tekton/run}]
        stdoutConfig: {path: /a/../b}
`),
    ).toEqual([
      { path: ["metadata", "name"], message: `resource name "a/b" is not allowed: ${NAME_RULE}` },
      {
        path: ["spec", "workspaces", 0, "hostPath"],
        message:
          "hostPath is not allowed in documents: bind a host directory with -w NAME=...,path=DIR",
      },
      {
        path: ["spec", "taskSpec", "volumes", 0, "configMap", "items", 0, "path"],
        message: 'path "../k" must not contain ".."',
      },
      {
        path: ["spec", "taskSpec", "steps", 0, "volumeMounts", 0, "mountPath"],
        message:
          'volumeMount cannot be mounted under /tekton/ (volumeMount "v" mounted at "/tekton/run")',
      },
      {
        path: ["spec", "taskSpec", "steps", 0, "stdoutConfig", "path"],
        message: 'path "/a/../b" must not contain ".."',
      },
    ]);
  });

  test("keys named like Object's own properties are data, not lookups", () => {
    expect(problems(`spec: {constructor: [{name: ../x}], toString: {subPath: ok}}`)).toEqual([]);
  });
});

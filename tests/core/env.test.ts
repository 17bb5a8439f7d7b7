import { describe, expect, test } from "bun:test";
import type { EnvFrom, EnvVar } from "../../src/core/model/step.ts";
import { expandKubernetesVars, resolveEnv } from "../../src/core/task/env.ts";
import { type DataLookup, VolumeError } from "../../src/core/task/volumes.ts";
import { caught } from "../helpers/caught.ts";

const data: Record<string, Record<string, string>> = {
  "ConfigMap/settings": { LEVEL: "debug", REGION: "eu" },
  "Secret/token": { TOKEN: "s3cret", USER: "bot" },
};
const lookup: DataLookup = (kind, name) => data[`${kind}/${name}`];
const fields = { "metadata.name": "tr-1", "metadata.namespace": "default" };

function env(vars: EnvVar[] | undefined, from?: EnvFrom[]) {
  return resolveEnv(vars, from, lookup, fields);
}

describe("resolveEnv", () => {
  test("envFrom comes first (with its prefix), then env; a later name wins in place", () => {
    expect(
      env(
        [
          { name: "LEVEL", value: "info" },
          { name: "OWN", value: "1" },
        ],
        [{ configMapRef: { name: "settings" } }, { prefix: "S_", secretRef: { name: "token" } }],
      ),
    ).toEqual([
      ["LEVEL", "info"],
      ["REGION", "eu"],
      ["S_TOKEN", "s3cret"],
      ["S_USER", "bot"],
      ["OWN", "1"],
    ]);
  });

  test.each<[string, EnvVar, Array<[string, string]>]>([
    [
      "configMapKeyRef",
      { name: "L", valueFrom: { configMapKeyRef: { name: "settings", key: "LEVEL" } } },
      [["L", "debug"]],
    ],
    [
      "secretKeyRef",
      { name: "T", valueFrom: { secretKeyRef: { name: "token", key: "TOKEN" } } },
      [["T", "s3cret"]],
    ],
    [
      "an optional key that is missing sets nothing",
      { name: "X", valueFrom: { secretKeyRef: { name: "token", key: "NOPE", optional: true } } },
      [],
    ],
    [
      "fieldRef metadata.name",
      { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      [["POD", "tr-1"]],
    ],
    [
      "fieldRef metadata.namespace",
      { name: "NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      [["NS", "default"]],
    ],
    [
      "an unknown fieldRef is empty",
      { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      [["IP", ""]],
    ],
  ])("valueFrom: %s", (_, variable, expected) => {
    expect(env([variable])).toEqual(expected);
  });

  test("env values expand $(VAR) from the variables before them; $$ escapes", () => {
    expect(
      env(
        [
          { name: "BASE", value: "/opt" },
          { name: "BIN", value: "$(BASE)/bin:$(LEVEL)" },
          { name: "LATER", value: "$(AFTER)" },
          { name: "AFTER", value: "x" },
          { name: "LITERAL", value: "$$(BASE)" },
        ],
        [{ configMapRef: { name: "settings" } }],
      ),
    ).toEqual([
      ["LEVEL", "debug"],
      ["REGION", "eu"],
      ["BASE", "/opt"],
      ["BIN", "/opt/bin:debug"],
      ["LATER", "$(AFTER)"],
      ["AFTER", "x"],
      ["LITERAL", "$(BASE)"],
    ]);
  });

  test.each<[string, () => unknown, string]>([
    [
      "a missing ConfigMap for envFrom",
      () => env(undefined, [{ configMapRef: { name: "nope" } }]),
      'envFrom: ConfigMap "nope" was not found among the documents given',
    ],
    [
      "a missing key",
      () => env([{ name: "X", valueFrom: { configMapKeyRef: { name: "settings", key: "NOPE" } } }]),
      'env "X": ConfigMap "settings" has no key "NOPE"',
    ],
    [
      "an unsupported valueFrom",
      () => env([{ name: "X", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } }]),
      'env "X": valueFrom supports configMapKeyRef, secretKeyRef and fieldRef',
    ],
  ])("%s is a VolumeError", (_, run, message) => {
    const error = caught(run);
    expect(error).toBeInstanceOf(VolumeError);
    expect((error as Error).message).toBe(message);
  });

  test("an optional missing envFrom source adds nothing", () => {
    expect(env(undefined, [{ secretRef: { name: "nope", optional: true } }])).toEqual([]);
  });
});

describe("expandKubernetesVars", () => {
  const vars = new Map([
    ["HOME", "/root"],
    ["A.B", "dotted"],
  ]);
  test.each([
    ["$(HOME)/x", "/root/x"],
    ["$(A.B)", "dotted"],
    ["$(UNKNOWN)", "$(UNKNOWN)"],
    ["$$(HOME)", "$(HOME)"],
    ["$$", "$"],
    ["$$$$", "$$"],
    ["a $ b", "a $ b"],
    ["$HOME", "$HOME"],
    ["$(params.x)", "$(params.x)"],
    ["$((1+2))", "$((1+2))"],
    ["no dollar", "no dollar"],
  ])("%p → %p", (text, expected) => {
    expect(expandKubernetesVars(text, vars)).toBe(expected);
  });
});

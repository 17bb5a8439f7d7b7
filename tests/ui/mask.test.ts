import { describe, expect, test } from "bun:test";
import type { RunEvent } from "../../src/core/events.ts";
import type { DataResource } from "../../src/core/model/resources.ts";
import { createMasker, encodedSecretValues, MASK, MaskingRenderer } from "../../src/ui/mask.ts";
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

describe("encodedSecretValues", () => {
  const secret = (type: string, data: Record<string, string>): DataResource => ({
    kind: "Secret",
    apiVersion: "v1",
    name: "s",
    metadata: { name: "s" },
    doc: {
      file: "s.yaml",
      index: 0,
      data: {},
      locate: () => ({ file: "s.yaml", line: 1, col: 1 }),
    },
    specPath: [],
    data,
    type,
  });

  test("a value URL-encoded, as ~/.git-credentials holds it", () => {
    expect(encodedSecretValues([secret("Opaque", { token: "p@ss/word" })])).toEqual([
      "p%40ss%2Fword",
    ]);
  });

  test("a basic-auth Secret's user:password in base64, as ~/.docker/config.json holds it", () => {
    const auth = secret("kubernetes.io/basic-auth", { username: "bob", password: "hunter2" });
    expect(encodedSecretValues([auth])).toEqual(["bob", "hunter2", "Ym9iOmh1bnRlcjI="]);
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

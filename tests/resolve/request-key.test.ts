import { describe, expect, test } from "bun:test";
import type { Ref } from "../../src/core/model/common.ts";
import { cacheMode, mayReuse } from "../../src/resolve/cache.ts";
import {
  describeRequest,
  requestHash,
  requestKey,
  requestOf,
} from "../../src/resolve/request-key.ts";

const gitRef = (params: Record<string, string>): Ref => ({
  resolver: "git",
  params: Object.entries(params).map(([name, value]) => ({ name, value })),
});

describe("requestOf", () => {
  test.each([
    [
      "params as given",
      gitRef({ url: "https://x/r.git", pathInRepo: "t.yaml" }),
      new Map(),
      { resolver: "git", params: { url: "https://x/r.git", pathInRepo: "t.yaml" } },
    ],
    [
      "a pipeline param substituted",
      gitRef({ revision: "$(params.rev)" }),
      new Map([["params.rev", "v1"]]),
      { resolver: "git", params: { revision: "v1" } },
    ],
    ["no params", { resolver: "hub" }, new Map(), { resolver: "hub", params: {} }],
  ])("%s", (_name, ref, vars, expected) => {
    expect(requestOf(ref, vars)).toEqual(expected);
  });

  test.each([
    [
      gitRef({ revision: "$(params.rev)" }),
      'param "revision" refers to $(params.rev), unknown before the run',
    ],
    [
      { resolver: "git", params: [{ name: "url", value: ["a", "b"] }] },
      'param "url" must be a string, not an array or object',
    ],
    [
      {
        resolver: "git",
        params: [
          { name: "url", value: "a" },
          { name: "url", value: "b" },
        ],
      },
      'param "url" is given twice',
    ],
  ])("rejects %j", (ref, message) => {
    expect(() => requestOf(ref as Ref)).toThrow(message);
  });
});

describe("requestKey", () => {
  const a = requestOf(gitRef({ url: "u", revision: "main", pathInRepo: "p" }));
  const b = requestOf(gitRef({ pathInRepo: "p", url: "u", revision: "main", cache: "always" }));
  const c = requestOf(gitRef({ url: "u", revision: "v2", pathInRepo: "p" }));

  test("sorts params by name and leaves out the cache mode", () => {
    expect(requestKey(a)).toBe("git?pathInRepo=p&revision=main&url=u");
    expect(requestKey(b)).toBe(requestKey(a));
    expect(requestHash(b)).toBe(requestHash(a));
  });

  test("differs for any other param value", () => {
    expect(requestKey(c)).not.toBe(requestKey(a));
    expect(requestHash(c)).toMatch(/^[0-9a-f]{64}$/);
  });

  test("escapes separators inside values", () => {
    const request = requestOf(gitRef({ url: "a&b=c" }));
    expect(requestKey(request)).toBe("git?url=a%26b%3Dc");
  });

  test("messages name the resolver and its params in the order written", () => {
    expect(describeRequest(b)).toBe(
      "git resolver (pathInRepo=p, url=u, revision=main, cache=always)",
    );
  });
});

describe("cache modes", () => {
  test.each([
    [{}, "auto"],
    [{ cache: "always" }, "always"],
    [{ cache: "never" }, "never"],
  ])("cache param %j reads as %s", (params, mode) => {
    expect(cacheMode({ resolver: "git", params })).toBe(mode as "auto");
  });

  test("an unknown mode is refused", () => {
    expect(() => cacheMode({ resolver: "git", params: { cache: "sometimes" } })).toThrow(
      'cache param must be always, never or auto, not "sometimes"',
    );
  });

  test.each([
    ["always", false, true],
    ["auto", true, true],
    ["auto", false, false],
    ["never", true, false],
  ] as const)("online, %s with immutable=%p reuses the cache: %p", (mode, immutable, reuse) => {
    expect(mayReuse(mode, immutable)).toBe(reuse);
  });
});

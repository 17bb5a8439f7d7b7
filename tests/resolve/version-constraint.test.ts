import { describe, expect, test } from "bun:test";
import {
  compareVersions,
  isRange,
  parseConstraints,
  parseVersion,
  pickVersion,
} from "../../src/resolve/version-constraint.ts";

const AVAILABLE = ["0.1", "0.5.0", "0.6.0", "0.7.1", "0.9.0", "1.0.0-rc.1", "1.0.0", "2.1.0"];

describe("version constraints", () => {
  test.each([
    [">= 0.7.0", "2.1.0"],
    [">=0.7.0, < 1.0.0", "0.9.0"],
    ["~> 0.6", "0.9.0"],
    ["~> 0.6.0", "0.6.0"],
    ["!= 2.1.0", "1.0.0"],
    ["= 0.1.0", "0.1"],
    ["< 0.1", undefined],
  ])("%s picks %s", (constraint, expected) => {
    const constraints = parseConstraints(constraint);
    expect(constraints).toBeDefined();
    expect(pickVersion(AVAILABLE, constraints ?? [])).toBe(expected as string);
  });

  test.each(["0.9", "v1.2.3", "1.0.0-rc.1+build"])("%s is a version", (text) => {
    expect(parseVersion(text)).toBeDefined();
  });

  test.each(["", "latest", "1.x", ">> 1"])("%j is no constraint", (text) => {
    expect(parseConstraints(text)).toBeUndefined();
  });

  test("a pre-release sorts before its release; missing segments are zeros", () => {
    const v = (text: string) => parseVersion(text) ?? { segments: [], written: 0, prerelease: "" };
    expect(compareVersions(v("1.0.0-rc.1"), v("1.0.0"))).toBe(-1);
    expect(compareVersions(v("1.0"), v("1.0.0"))).toBe(0);
    expect(compareVersions(v("1.10"), v("1.9"))).toBe(1);
  });

  test("only a text with an operator or comma makes the resolver list versions", () => {
    expect(["0.9", "0.9.1", ">=0.9", "0.9, 1.0", "~>1"].map(isRange)).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});

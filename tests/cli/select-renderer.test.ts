import { describe, expect, test } from "bun:test";
import {
  chooseOutput,
  type OutputKind,
  type RendererChoice,
} from "../../src/cli/select-renderer.ts";
import { colorWanted } from "../../src/ui/colors.ts";

const flags: RendererChoice = {
  output: undefined,
  timestamps: false,
  quiet: false,
  verbose: false,
};

describe("chooseOutput", () => {
  const cases: Array<[string, Partial<RendererChoice>, boolean, NodeJS.ProcessEnv, OutputKind]> = [
    ["a terminal gets the tree", {}, true, {}, "tree"],
    ["a pipe gets plain lines", {}, false, {}, "plain"],
    ["CI gets plain lines", {}, true, { CI: "true" }, "plain"],
    ["NO_COLOR gets plain lines", {}, true, { NO_COLOR: "1" }, "plain"],
    ["TERM=dumb gets plain lines", {}, true, { TERM: "dumb" }, "plain"],
    ["--quiet gets plain lines", { quiet: true }, true, {}, "plain"],
    ["--output wins", { output: "tree" }, false, { CI: "1" }, "tree"],
    ["--output json", { output: "json" }, true, {}, "json"],
  ];
  test.each(cases)("%s", (_case, choice, isTTY, env, expected) => {
    expect(chooseOutput({ ...flags, ...choice }, { isTTY, env })).toBe(expected);
  });

  test("an unknown --output is a usage error", () => {
    expect(() => chooseOutput({ ...flags, output: "xml" }, { isTTY: true, env: {} })).toThrow(
      '--output must be tree, plain or json, not "xml"',
    );
  });
});

describe("colorWanted", () => {
  const cases: Array<[string, boolean, NodeJS.ProcessEnv, boolean]> = [
    ["on a terminal", true, {}, true],
    ["not in a pipe", false, {}, false],
    ["not with NO_COLOR", true, { NO_COLOR: "1" }, false],
    ["in a pipe when forced", false, { FORCE_COLOR: "1" }, true],
    ["not when FORCE_COLOR=0", true, { FORCE_COLOR: "0" }, false],
  ];
  test.each(cases)("colour %s", (_case, isTTY, env, expected) => {
    expect(colorWanted(isTTY, env)).toBe(expected);
  });
});

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { validate } from "../../src/core/validate/validate.ts";
import { FILE, garbledYaml, mutatedYaml, seedTexts } from "./documents.ts";

const seeds = seedTexts();
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SLOW = 120_000;

/** `mallet validate` never throws, and every diagnostic says where it is. */
function locatedDiagnostics(text: string): boolean {
  let diagnostics: ReturnType<typeof validate>;
  try {
    diagnostics = validate({ files: [{ file: FILE, text }] });
  } catch (error) {
    throw new Error(
      `validate threw ${(error as Error)?.stack}\n--- input ---\n${text.slice(0, 3000)}`,
    );
  }
  for (const diagnostic of diagnostics) {
    expect(diagnostic.file).toBe(FILE);
    expect(diagnostic.line).toBeGreaterThanOrEqual(1);
    expect(diagnostic.col).toBeGreaterThanOrEqual(1);
    expect(diagnostic.message.length).toBeGreaterThan(0);
  }
  return true;
}

describe("validation of mutated documents", () => {
  test(
    "wrong types, missing and unknown keys",
    () => {
      fc.assert(fc.property(mutatedYaml(seeds), locatedDiagnostics), { numRuns: RUNS });
    },
    SLOW,
  );

  test(
    "garbled text",
    () => {
      fc.assert(fc.property(garbledYaml(seeds), locatedDiagnostics), { numRuns: RUNS });
    },
    SLOW,
  );
});

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { garbledYaml, load, mutatedYaml, plan, seedTexts, unlocated } from "./documents.ts";

const seeds = seedTexts();
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SLOW = 120_000;

/** Loading either succeeds or fails with a one-line MalletError located in the file. */
function loadsOrFailsWithLocation(text: string): boolean {
  const loaded = load(text);
  if (loaded.ok) return true;
  const problem = unlocated(loaded.error);
  if (problem) throw new Error(`${problem}\n--- input ---\n${text.slice(0, 2000)}`);
  return true;
}

describe("loading never throws anything but a located MalletError", () => {
  test("every seed loads", () => {
    for (const seed of seeds) expect(load(seed).ok).toBe(true);
  });

  test(
    "random text",
    () => {
      fc.assert(
        fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), loadsOrFailsWithLocation),
        {
          numRuns: RUNS,
        },
      );
    },
    SLOW,
  );

  test(
    "random bytes read as text",
    () => {
      const bytes = fc
        .uint8Array({ maxLength: 300 })
        .map((array) => Buffer.from(array).toString("utf8"));
      fc.assert(fc.property(bytes, loadsOrFailsWithLocation), { numRuns: RUNS });
    },
    SLOW,
  );

  test(
    "seeds with characters inserted, deleted and replaced",
    () => {
      fc.assert(fc.property(garbledYaml(seeds), loadsOrFailsWithLocation), { numRuns: RUNS });
    },
    SLOW,
  );

  test(
    "seeds with values of the wrong type, missing keys and unknown keys",
    () => {
      fc.assert(fc.property(mutatedYaml(seeds), loadsOrFailsWithLocation), { numRuns: RUNS });
    },
    SLOW,
  );
});

describe("planning and substitution of what loads", () => {
  test(
    "a mutated run plans, or fails with a located MalletError",
    () => {
      fc.assert(
        fc.property(mutatedYaml(seeds), (text) => {
          const loaded = load(text);
          if (!loaded.ok) return true;
          const planned = plan(loaded.resources);
          if (planned.ok) return true;
          const problem = unlocated(planned.error);
          if (problem) throw new Error(`${problem}\n--- input ---\n${text.slice(0, 3000)}`);
          return true;
        }),
        { numRuns: RUNS },
      );
    },
    SLOW,
  );
});

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../src/core/validate/rules.ts";
import { validate } from "../../src/core/validate/validate.ts";

// Each invalid fixture starts with `# expect: LINE:COL SEVERITY RULE` lines: exactly the
// problems it must produce, no more.
const FIXTURES = join(import.meta.dir, "fixtures");
const EXAMPLES = join(import.meta.dir, "../../../shared/tekton-examples");
const EXPECT = /^# expect: (\d+:\d+ (?:error|warning) [a-z0-9-]+)$/gm;

function fixtures(kind: "invalid" | "valid"): Array<{ name: string; text: string }> {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

function found(name: string, text: string): string[] {
  return validate({ files: [{ file: name, text }] }).map(
    (d) => `${d.line}:${d.col} ${d.severity} ${d.rule}`,
  );
}

describe("invalid fixtures report exactly their expected problems", () => {
  const invalid = fixtures("invalid");

  test.each(invalid.map((f) => [f.name, f.text] as [string, string]))("%s", (name, text) => {
    const expected = [...text.matchAll(EXPECT)].map((m) => m[1] ?? "");
    expect(expected.length).toBeGreaterThan(0);
    expect(found(name, text)).toEqual(expected);
  });

  test("there are at least 60 of them", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(60);
  });

  test("every rule has a fixture named after it that reports it", () => {
    const missing = Object.keys(RULES).filter(
      (rule) =>
        !invalid.some((f) => f.name.startsWith(`${rule}-`) && f.text.includes(` ${rule}\n`)),
    );
    expect(missing).toEqual([]);
  });
});

describe("valid fixtures pass clean", () => {
  test.each(fixtures("valid").map((f) => [f.name, f.text] as [string, string]))(
    "%s",
    (name, text) => {
      expect(found(name, text)).toEqual([]);
    },
  );
});

describe("the upstream Tekton examples", () => {
  const files = ["taskruns", "pipelineruns"].flatMap((dir) =>
    readdirSync(join(EXAMPLES, dir))
      .filter((name) => name.endsWith(".yaml"))
      .map((name) => ({
        file: `${dir}/${name}`,
        text: readFileSync(join(EXAMPLES, dir, name), "utf8"),
      })),
  );

  test("are all found", () => {
    expect(files.length).toBeGreaterThan(80);
  });

  test.each(files.map((f) => [f.file, f.text] as [string, string]))(
    "%s has no errors",
    (file, text) => {
      const errors = validate({ files: [{ file, text }] }).filter((d) => d.severity === "error");
      expect(errors).toEqual([]);
    },
  );

  test("have no errors when validated all together", () => {
    const errors = validate({ files }).filter((d) => d.severity === "error");
    expect(errors).toEqual([]);
  });
});

describe("the fast parser gives the same results as the precise one", () => {
  const all = [
    ...fixtures("invalid"),
    ...fixtures("valid"),
    ...["taskruns", "pipelineruns"].flatMap((dir) =>
      readdirSync(join(EXAMPLES, dir)).map((name) => ({
        name: `${dir}/${name}`,
        text: readFileSync(join(EXAMPLES, dir, name), "utf8"),
      })),
    ),
  ];

  test.each(all.map((f) => [f.name, f.text] as [string, string]))("%s", (name, text) => {
    const files = [{ file: name, text }];
    expect(validate({ files, fastParse: Bun.YAML.parse })).toEqual(validate({ files }));
  });
});

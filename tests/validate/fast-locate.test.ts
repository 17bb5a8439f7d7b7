import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type DocPath, parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import { fastDocuments } from "../../src/core/validate/fast-load.ts";
import { FastLocator } from "../../src/core/validate/fast-locate.ts";
import { validate } from "../../src/core/validate/validate.ts";

// The fast locator must answer exactly as the precise one, or not at all: checked on every
// path of every document of the fixtures and the upstream examples.
const EXAMPLES = join(import.meta.dir, "../../../shared/tekton-examples");
const FIXTURES = join(import.meta.dir, "fixtures");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith(".yaml") ? [path] : [];
  });
}

function allPaths(value: unknown, path: DocPath = [], out: DocPath[] = []): DocPath[] {
  out.push(path, [...path, "no-such-key"], [...path, 99]);
  if (Array.isArray(value)) value.forEach((item, i) => allPaths(item, [...path, i], out));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) allPaths(item, [...path, key], out);
  }
  return out;
}

const files = [
  ...yamlFiles(join(EXAMPLES, "taskruns")),
  ...yamlFiles(join(EXAMPLES, "pipelineruns")),
  ...yamlFiles(FIXTURES),
];

describe("FastLocator agrees with the precise locator", () => {
  let answered = 0;
  let total = 0;

  test.each(files.map((file) => [relative(join(import.meta.dir, "../../.."), file), file]))(
    "%s",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      const fast = fastDocuments(text, Bun.YAML.parse);
      if (!fast) return;
      const precise = parseYamlDocuments(text, file);
      expect(fast.length).toBe(precise.length);
      const locator = new FastLocator(text);
      fast.forEach((doc, i) => {
        for (const path of allPaths(doc.data)) {
          total++;
          const quick = locator.locate(doc.first, doc.end, path);
          if (!quick) continue;
          answered++;
          const { line, col } = (precise[i] as (typeof precise)[number]).locate(path);
          expect({ path, ...quick }).toEqual({ path, line, col });
        }
      });
    },
  );

  test("and answers for nearly every path", () => {
    expect(answered / total).toBeGreaterThan(0.9);
  });
});

describe("on mutated examples the fast path still answers as the precise one", () => {
  const texts = files.slice(0, 90).map((file) => readFileSync(file, "utf8"));
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  // Deletes, repeats, indents, dedents and breaks lines: valid and broken YAML alike.
  const mutate = (text: string) => {
    const lines = text.split("\n");
    for (let k = 0; k <= random(3); k++) {
      const i = random(lines.length);
      const line = lines[i] ?? "";
      const op = random(5);
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) lines.splice(i, 0, lines[random(lines.length)] ?? "");
      else if (op === 2) lines[i] = `  ${line}`;
      else if (op === 3) lines[i] = line.slice(2);
      else lines[i] = line.replace(/: .*/, ": $(params.zz[*])");
    }
    return lines.join("\n");
  };

  test("for 250 mutations", () => {
    for (let i = 0; i < 250; i++) {
      const files = [{ file: "f.yaml", text: mutate(texts[random(texts.length)] ?? "") }];
      expect(validate({ files, fastParse: Bun.YAML.parse })).toEqual(validate({ files }));
    }
  });
});

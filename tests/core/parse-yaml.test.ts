import { describe, expect, test } from "bun:test";
import { MalletError } from "../../src/core/errors.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import { caught } from "../helpers/caught.ts";

const text = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: hello
spec:
  steps:
    - name: one
      image: alpine
    -   name: two
        image: busybox
---
# only a comment
---
kind: ConfigMap
data: {a: "1"}
`;

describe("parseYamlDocuments", () => {
  const docs = parseYamlDocuments(text, "in.yaml");

  test("every document that holds something, with its index in the file", () => {
    expect(docs.map((doc) => [doc.index, doc.data])).toEqual([
      [
        0,
        {
          apiVersion: "tekton.dev/v1",
          kind: "Task",
          metadata: { name: "hello" },
          spec: {
            steps: [
              { name: "one", image: "alpine" },
              { name: "two", image: "busybox" },
            ],
          },
        },
      ],
      [2, { kind: "ConfigMap", data: { a: "1" } }],
    ]);
  });

  test.each<[Array<string | number>, number, number]>([
    [[], 1, 1],
    [["kind"], 2, 1],
    [["metadata", "name"], 4, 3],
    [["spec", "steps"], 6, 3],
    [["spec", "steps", 0], 7, 7],
    [["spec", "steps", 1, "image"], 10, 9],
    // A path that does not exist points at its closest existing ancestor.
    [["spec", "steps", 1, "nope", "deeper"], 9, 9],
    [["spec", "steps", 5], 6, 3],
    [["spec", "params"], 5, 1],
  ])("locate(%p) is line %p, col %p (a map entry's key)", (path, line, col) => {
    expect(docs[0]?.locate(path)).toEqual({ file: "in.yaml", line, col });
  });

  test("a later document locates within its own text", () => {
    expect(docs[1]?.locate(["data", "a"])).toEqual({ file: "in.yaml", line: 15, col: 8 });
  });
});

describe("parseYamlDocuments rejects bad input with a location", () => {
  function failure(input: string) {
    const error = caught(() => parseYamlDocuments(input, "bad.yaml"));
    expect(error).toBeInstanceOf(MalletError);
    const { code, message, location } = error as MalletError;
    return { code, message, location };
  }

  test.each([
    [
      "a: 1\nb: [1, 2\nc: 3\n",
      "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      3,
    ],
    ["a:\n  - b\n c: d\n", "invalid YAML: All mapping items must start at the same column", 3],
    ["key: 'unterminated\n", "invalid YAML: Missing closing 'quote", 2],
  ])("a syntax error carries its line and column: %p", (input, message, line) => {
    expect(failure(input)).toEqual({
      code: "YAML_SYNTAX",
      message,
      location: { file: "bad.yaml", line, col: 1 },
    });
  });

  test("a duplicate key is an error at the duplicate", () => {
    expect(failure("name: a\nname: b\n")).toMatchObject({
      code: "YAML_SYNTAX",
      message: "invalid YAML: Map keys must be unique",
      location: { file: "bad.yaml", line: 2, col: 1 },
    });
  });

  test("binary data", () => {
    expect(failure("\u0000\u0001ELF")).toEqual({
      code: "YAML_SYNTAX",
      message: "file holds binary data, not YAML",
      location: { file: "bad.yaml", line: 1, col: 1 },
    });
  });

  test("an alias bomb (billion laughs)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    const result = failure(`${levels.join("\n")}\n`);
    expect(result.code).toBe("YAML_SYNTAX");
    expect(result.message).toStartWith("invalid YAML: ");
    expect(result.location).toEqual({ file: "bad.yaml", line: 1, col: 1 });
  });

  test("deep nesting", () => {
    const deep = `${"[".repeat(300)}${"]".repeat(300)}`;
    expect(failure(deep)).toEqual({
      code: "YAML_SYNTAX",
      message: "document nests deeper than 200 levels",
      location: { file: "bad.yaml", line: 1, col: 202 },
    });
  });

  test("very deep nesting is refused without exhausting the stack", () => {
    const deep = `${"{a: ".repeat(50_000)}1${"}".repeat(50_000)}`;
    expect(failure(deep)).toMatchObject({
      code: "YAML_SYNTAX",
      message: "document nests deeper than 200 levels",
    });
  });

  test("a few ordinary aliases are fine", () => {
    const docs = parseYamlDocuments("base: &b {image: alpine}\nstep: *b\n", "ok.yaml");
    expect(docs[0]?.data).toEqual({ base: { image: "alpine" }, step: { image: "alpine" } });
  });
});

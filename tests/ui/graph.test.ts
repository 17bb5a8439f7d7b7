import { describe, expect, test } from "bun:test";
import type { PipelineSpec } from "../../src/core/model/pipeline.ts";
import { toDot, toMermaid } from "../../src/ui/graph-export.ts";
import { buildPipelineGraph, graphLevels } from "../../src/ui/graph-model.ts";
import { drawGraphText } from "../../src/ui/graph-text.ts";

const step = { taskSpec: { steps: [{ name: "s", image: "busybox" }] } };
const task = (name: string, runAfter?: string[], extra = {}) => ({
  name,
  ...step,
  ...(runAfter ? { runAfter } : {}),
  ...extra,
});

const diamond: PipelineSpec = {
  tasks: [
    task("fetch"),
    task("build", ["fetch"]),
    task("lint", ["fetch"], { retries: 2 }),
    {
      name: "test",
      taskRef: { name: "go-test" },
      params: [{ name: "bin", value: "$(tasks.build.results.bin)" }],
      runAfter: ["lint"],
    },
  ],
  finally: [task("notify")],
};

describe("drawGraphText", () => {
  const cases: Array<[string, PipelineSpec, string[]]> = [
    [
      "a chain",
      { tasks: [task("a"), task("b", ["a"]), task("c", ["b"])] },
      ["Pipeline p", "● a", "│", "● b", "│", "● c"],
    ],
    [
      "independent tasks, not joined",
      { tasks: [task("a"), task("b")] },
      ["Pipeline p", "● a", "● b"],
    ],
    [
      "a fork and a join, with notes and finally",
      diamond,
      [
        "Pipeline p",
        "● fetch",
        "├─┐",
        "● │ build",
        "│ │",
        "│ ● lint  (retries 2)",
        "│ │",
        "├─┘",
        "● test  (Task go-test)",
        "┄┄ finally ┄┄",
        "◆ notify",
      ],
    ],
    [
      "a second root beside a lane, and a join",
      { tasks: [task("a"), task("b"), task("c", ["a"]), task("d", ["a", "b"])] },
      ["Pipeline p", "● a", "├─┐", "│ │ ● b", "│ │ │", "● │ │ c", "  │ │", "  ├─┘", "  ● d"],
    ],
    [
      "a join crossing a lane",
      {
        tasks: [
          task("a"),
          task("b", ["a"]),
          task("c", ["a"]),
          task("d", ["a"]),
          task("e", ["b", "d"]),
          task("f", ["c", "e"]),
        ],
      },
      [
        "Pipeline p",
        "● a",
        "├─┬─┐",
        "● │ │ b",
        "│ │ │",
        "│ ● │ c",
        "│ │ │",
        "│ │ ● d",
        "│ │ │",
        "├─┼─┘",
        "● │ e",
        "│ │",
        "├─┘",
        "● f",
      ],
    ],
  ];
  test.each(cases)("%s", (_case, spec, lines) => {
    expect(drawGraphText(buildPipelineGraph("p", spec))).toEqual(lines);
  });
});

describe("graph model", () => {
  test("levels: one more than the deepest parent; edges say why they exist", () => {
    const graph = buildPipelineGraph("p", diamond);
    expect([...graphLevels(graph)]).toEqual([
      ["fetch", 1],
      ["build", 2],
      ["lint", 2],
      ["test", 3],
    ]);
    expect(graph.edges).toContainEqual({ from: "build", to: "test", via: "result" });
    expect(graph.edges).toContainEqual({ from: "lint", to: "test", via: "runAfter" });
  });
});

describe("Mermaid and DOT", () => {
  const graph = buildPipelineGraph("p", {
    tasks: [task("a"), task("b", ["a"])],
    finally: [task("f")],
  });

  test("Mermaid: a flowchart, finally tasks in a subgraph", () => {
    expect(toMermaid(graph)).toBe(
      [
        "flowchart TD",
        '  t0["a"]',
        '  t1["b"]',
        "  t0 --> t1",
        "  subgraph finally",
        '    t2["f"]',
        "  end",
        "",
      ].join("\n"),
    );
  });

  test("DOT: a digraph, finally tasks in a cluster", () => {
    expect(toDot(graph)).toBe(
      [
        'digraph "p" {',
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="sans-serif"];',
        '  "a";',
        '  "b";',
        '  "a" -> "b";',
        "  subgraph cluster_finally {",
        '    label="finally";',
        "    style=dashed;",
        '    "f";',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });
});

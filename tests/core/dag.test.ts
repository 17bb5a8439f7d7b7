import { expect, test } from "bun:test";
import type { PipelineTask } from "../../src/core/model/pipeline.ts";
import { buildDag } from "../../src/core/pipeline/dag.ts";

function edges(tasks: PipelineTask[]) {
  const { dag, problems } = buildDag(tasks);
  const list = (map: ReadonlyMap<string, ReadonlySet<string>>) =>
    Object.fromEntries([...map].map(([name, set]) => [name, [...set]]));
  return {
    order: dag.order,
    parents: list(dag.parents),
    resultParents: list(dag.resultParents),
    problems,
  };
}

test("edges come from runAfter and from result references anywhere in the task", () => {
  expect(
    edges([
      { name: "clone", taskRef: { name: "git" } },
      { name: "build", runAfter: ["clone"], taskRef: { name: "b" } },
      {
        name: "test",
        taskRef: { name: "t" },
        params: [{ name: "img", value: "$(tasks.build.results.image)" }],
      },
      {
        name: "deploy",
        taskRef: { name: "d" },
        when: [{ input: "$(tasks.test.results.ok)", operator: "in", values: ["yes"] }],
        matrix: { params: [{ name: "env", value: ["$(tasks.clone.results.envs[*])"] }] },
      },
      {
        name: "embedded",
        taskSpec: { steps: [{ image: "alpine", script: "echo $(tasks.build.results.image)" }] },
      },
    ]),
  ).toEqual({
    order: ["clone", "build", "test", "deploy", "embedded"],
    parents: {
      clone: [],
      build: ["clone"],
      test: ["build"],
      deploy: ["test", "clone"],
      embedded: ["build"],
    },
    resultParents: {
      clone: [],
      build: [],
      test: ["build"],
      deploy: ["test", "clone"],
      embedded: ["build"],
    },
    problems: [],
  });
});

test("a task both after and consuming a parent counts it once, as a result parent", () => {
  const result = edges([
    { name: "a", taskRef: { name: "x" } },
    { name: "b", runAfter: ["a"], params: [{ name: "p", value: "$(tasks.a.results.r)" }] },
  ]);
  expect(result.parents.b).toEqual(["a"]);
  expect(result.resultParents.b).toEqual(["a"]);
});

test("unknown tasks are reported with how they were named", () => {
  expect(
    edges([
      { name: "a", runAfter: ["ghost"] },
      { name: "b", params: [{ name: "p", value: "$(tasks.phantom.results.r)" }] },
    ]).problems,
  ).toEqual([
    { kind: "unknown-task", task: "a", ref: "ghost", via: "runAfter" },
    { kind: "unknown-task", task: "b", ref: "phantom", via: "result" },
  ]);
});

test.each<[string, PipelineTask[], string[]]>([
  [
    "a cycle through runAfter",
    [
      { name: "a", runAfter: ["c"] },
      { name: "b", runAfter: ["a"] },
      { name: "c", runAfter: ["b"] },
    ],
    ["a", "c", "b", "a"],
  ],
  ["a task after itself", [{ name: "a", runAfter: ["a"] }], ["a", "a"]],
  [
    "a cycle through results",
    [
      { name: "a", params: [{ name: "p", value: "$(tasks.b.results.r)" }] },
      { name: "b", params: [{ name: "p", value: "$(tasks.a.results.r)" }] },
    ],
    ["a", "b", "a"],
  ],
])("%s is reported", (_, tasks, cycle) => {
  expect(edges(tasks).problems).toEqual([{ kind: "cycle", tasks: cycle }]);
});

import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

describe("param forms in a Task", () => {
  const forms = once(() => mallet(["run", fixture("params-forms.yaml")]));
  const lines = async () =>
    String(resultOf((await forms()).statuses[0], "forms", "out"))
      .trimEnd()
      .split("\n");

  test("the run succeeds", async () => {
    expect((await forms()).exitCode).toBe(0);
  });

  test("$(params.x) gives a string param", async () => {
    expect(await lines()).toContain("string=mallet");
  });

  test("$(params['x']) and $(params[\"x\"]) are the same as $(params.x)", async () => {
    expect(await lines()).toContain("bracket=mallet mallet");
  });

  test("$(inputs.params.x) is the legacy form", async () => {
    expect(await lines()).toContain("legacy=mallet");
  });

  test("a default may reference another param", async () => {
    expect(await lines()).toContain("default=hello mallet");
  });

  test("a YAML number becomes a string", async () => {
    expect(await lines()).toContain("number=3");
  });

  test("$(params.x[i]) picks one array item", async () => {
    expect(await lines()).toContain("index=--two words");
  });

  test("$(params.x[*]) expands into separate args", async () => {
    expect(await lines()).toContain("star=2 [--one] [--two words]");
  });

  test("object params merge given keys over the default's, read with .key", async () => {
    expect(await lines()).toContain("key=example.org:8080");
  });

  test("a dotted param name is read with the bracket form", async () => {
    expect(await lines()).toContain("dotted=dotted");
  });
});

describe("params in a Pipeline", () => {
  test("pipeline params of each type reach tasks; defaults fill the gaps", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  params:
    - {name: versions, value: ["3.11", "3.12"]}
  pipelineSpec:
    params:
      - {name: versions, type: array}
      - {name: who, default: world}
      - name: cfg
        type: object
        properties: {mode: {type: string}}
        default: {mode: fast}
    tasks:
      - name: t
        params:
          - {name: list, value: ["first", "$(params.versions[*])"]}
          - {name: line, value: "$(params.who) in $(params.cfg.mode) mode, second $(params.versions[1])"}
        taskSpec:
          params:
            - {name: list, type: array}
            - {name: line}
          results: [{name: out}]
          steps:
            - image: localhost/standin/busybox
              args: ["$(params.list[*])"]
              script: printf '%s|%s' "$*" "$(params.line)" > $(results.out.path)
`);
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "t", "out")).toBe(
      "first 3.11 3.12|world in fast mode, second 3.12",
    );
  });

  test("an embedded task spec sees the pipeline's params without declaring them (propagation)", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  params: [{name: word, value: propagated}]
  pipelineSpec:
    params: [{name: word}]
    tasks:
      - name: t
        taskSpec:
          results: [{name: out}]
          steps:
            - image: localhost/standin/busybox
              script: printf '$(params.word)' > $(results.out.path)
`);
    expect(resultOf(run.statuses[0], "t", "out")).toBe("propagated");
  });
});

describe("param errors", () => {
  test("missing params stop mallet with exit 2, naming every one and where", async () => {
    const run = await mallet(["run", "tests/fixtures/params-missing.yaml"]);
    expect(run.exitCode).toBe(2);
    expect(run.statuses).toEqual([]);
    expect(run.stderr).toBe(
      'mallet: tests/fixtures/params-missing.yaml:21:3: missing-param: Pipeline "needs-params" needs param "first", which has no default\n' +
        'tests/fixtures/params-missing.yaml:21:3: missing-param: Pipeline "needs-params" needs param "second", which has no default\n',
    );
  });

  test("a missing param of a TaskRun names the file, line and column of the run", async () => {
    const run = await runYaml(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    params: [{name: a}, {name: b}]
    steps:
      - image: localhost/standin/busybox
        script: "true"
`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'mallet: <stdin>:5:3: missing-param: the embedded Task needs param "a", which has no default\n' +
        '<stdin>:5:3: missing-param: the embedded Task needs param "b", which has no default\n',
    );
  });

  test("an array param index out of range fails the PipelineRun before any task (ParamArrayIndexingInvalid)", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  params: [{name: list, value: [a, b]}]
  pipelineSpec:
    params: [{name: list, type: array}]
    tasks:
      - name: t
        params: [{name: item, value: "$(params.list[5])"}]
        taskSpec:
          params: [{name: item}]
          steps:
            - image: localhost/standin/busybox
              script: echo $(params.item)
`);
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition).toEqual({
      status: "False",
      reason: "ParamArrayIndexingInvalid",
      message: 'index 5 is out of range for "params.list", which has 2 items',
    });
    expect(run.statuses[0]?.taskRuns).toEqual([]);
  });

  test("a value of the wrong type for a declared param is an input error", async () => {
    const run = await runYaml(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  params: [{name: list, value: not-an-array}]
  taskSpec:
    params: [{name: list, type: array}]
    steps:
      - image: localhost/standin/busybox
        script: "true"
`);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'mallet: <stdin>:5:25: param-type: param "list" is array in the embedded Task but is given a string\n',
    );
  });
});

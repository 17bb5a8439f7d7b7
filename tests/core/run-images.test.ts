import { expect, test } from "bun:test";
import { Catalog } from "../../src/core/catalog.ts";
import { decodeDocument } from "../../src/core/load/decode.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import type { PipelineRunResource, TaskRunResource } from "../../src/core/model/resources.ts";
import { collectRunImages, strongerPolicy } from "../../src/core/run-images.ts";

function load(yaml: string) {
  const resources = parseYamlDocuments(yaml, "fixture.yaml").flatMap(
    (doc) => decodeDocument(doc) ?? [],
  );
  const run = resources.find((item) => item.kind === "TaskRun" || item.kind === "PipelineRun");
  return { run: run as TaskRunResource | PipelineRunResource, catalog: new Catalog(resources) };
}

test("a TaskRun: steps, the stepTemplate's image, a StepAction's and sidecars', each once", () => {
  const { run, catalog } = load(`
apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: clone}
spec: {image: alpine/git, script: git clone}
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: tr}
spec:
  taskSpec:
    params: [{name: img, default: busybox}]
    stepTemplate: {image: ubuntu, imagePullPolicy: Never}
    steps:
      - {name: a, image: busybox, script: "true"}
      - {name: b, script: "true"}
      - {name: c, ref: {name: clone}}
      - {name: d, image: busybox, imagePullPolicy: Always, script: "true"}
      - {name: e, image: "$(params.img)", script: "true"}
    sidecars:
      - {name: db, image: postgres:16}
`);
  expect(collectRunImages(run, "tr", catalog)).toEqual({
    images: [
      { image: "busybox", policy: "Always", tasks: ["tr"] },
      { image: "ubuntu", policy: "Never", tasks: ["tr"] },
      { image: "alpine/git", policy: "Never", tasks: ["tr"] },
      { image: "postgres:16", policy: undefined, tasks: ["tr"] },
    ],
    tasks: ["tr"],
    finally: [],
  });
});

test("a PipelineRun: embedded and referenced tasks and finally, naming who needs each image", () => {
  const { run, catalog } = load(`
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: build}
spec:
  steps: [{image: golang:1.22, script: go build}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pr}
spec:
  pipelineSpec:
    tasks:
      - {name: compile, taskRef: {name: build}}
      - name: test
        taskSpec:
          steps: [{image: "golang:1.22", script: go test}]
      - {name: remote, taskRef: {resolver: git, params: []}}
      - {name: unknown, taskRef: {name: nowhere}}
    finally:
      - name: notify
        taskSpec:
          steps: [{image: curlimages/curl, script: curl x}]
`);
  expect(collectRunImages(run, "pr", catalog)).toEqual({
    images: [
      { image: "golang:1.22", policy: undefined, tasks: ["compile", "test"] },
      { image: "curlimages/curl", policy: undefined, tasks: ["notify"] },
    ],
    tasks: ["compile", "test", "remote", "unknown"],
    finally: ["notify"],
  });
});

test.each([
  [undefined, undefined, undefined],
  ["Never", undefined, undefined],
  ["Never", "Never", "Never"],
  ["IfNotPresent", "Never", "IfNotPresent"],
  ["Never", "Always", "Always"],
  [undefined, "IfNotPresent", "IfNotPresent"],
] as const)("strongerPolicy(%p, %p) is %p", (a, b, expected) => {
  expect(strongerPolicy(a, b)).toBe(expected);
});

import { describe, expect, test } from "bun:test";
import { MalletError } from "../../src/core/errors.ts";
import { decodeDocument } from "../../src/core/load/decode.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import type { Resource } from "../../src/core/model/resources.ts";
import { caught } from "../helpers/caught.ts";

function decode(yaml: string): Resource | undefined {
  const [doc] = parseYamlDocuments(yaml, "in.yaml");
  if (!doc) throw new Error("no document");
  return decodeDocument(doc);
}

function failure(yaml: string) {
  const error = caught(() => decode(yaml));
  expect(error).toBeInstanceOf(MalletError);
  const { code, message, location } = error as MalletError;
  return { code, message, location };
}

describe("decodeDocument rejects what kubectl apply would, at the offending key", () => {
  test.each([
    [
      "an unknown field in a step",
      `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
spec:
  steps:
    - name: s
      image: alpine
      scirpt: echo hi
`,
      'unknown field "spec.steps.0.scirpt"',
      8,
      7,
    ],
    [
      "an unknown field at the top level",
      `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
specs: {}
`,
      'unknown field "specs"',
      4,
      1,
    ],
    [
      "a wrong type",
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p}
spec:
  tasks:
    - name: a
      runAfter: b
`,
      'spec.tasks.0.runAfter: expected Array, got "b"',
      7,
      7,
    ],
    [
      "a kind the apiVersion does not serve",
      `apiVersion: tekton.dev/v1
kind: StepAction
metadata: {name: s}
spec: {image: alpine}
`,
      "StepAction does not exist in tekton.dev/v1 (use tekton.dev/v1alpha1 or tekton.dev/v1beta1)",
      1,
      1,
    ],
    [
      "a document without a name",
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {labels: {a: b}}
spec: {}
`,
      "TaskRun needs metadata.name or metadata.generateName",
      3,
      1,
    ],
    [
      "a malformed duration",
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: r}
spec:
  timeout: 10 minutes
`,
      "spec.timeout: must be a duration such as 10s, 5m or 1h30m",
      5,
      3,
    ],
  ])("%s", (_, yaml, message, line, col) => {
    expect(failure(yaml)).toEqual({
      code: "SCHEMA",
      message,
      location: { file: "in.yaml", line, col },
    });
  });
});

describe("decodeDocument", () => {
  test("YAML numbers and booleans become strings", () => {
    const task = decode(`apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
spec:
  params: [{name: n, default: 3}]
  steps: [{image: alpine, args: [1, true]}]
`);
    expect(task?.kind === "Task" && task.spec).toEqual({
      params: [{ name: "n", default: "3" }],
      steps: [{ image: "alpine", args: ["1", "true"] }],
    });
  });

  test("generateName names a run until it is given a name", () => {
    const run = decode(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {generateName: build-}
spec: {taskRef: {name: t}}
`);
    expect(run?.name).toBe("build-");
  });

  test("v1beta1 Task: step resources become computeResources, spec resources are dropped", () => {
    const task = decode(`apiVersion: tekton.dev/v1beta1
kind: Task
metadata: {name: t}
spec:
  resources: {inputs: []}
  stepTemplate: {resources: {limits: {cpu: "1"}}}
  steps:
    - image: alpine
      resources: {requests: {memory: 1Gi}}
`);
    expect(task?.kind === "Task" && task.spec).toEqual({
      stepTemplate: { computeResources: { limits: { cpu: "1" } } },
      steps: [{ image: "alpine", computeResources: { requests: { memory: "1Gi" } } }],
    });
  });

  test("v1beta1 PipelineRun: timeout, serviceAccountName, podTemplate and taskRunSpecs move", () => {
    const run = decode(`apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata: {name: pr}
spec:
  pipelineRef: {name: p}
  timeout: 1h
  serviceAccountName: builder
  podTemplate: {securityContext: {runAsUser: 1000}}
  taskRunSpecs:
    - pipelineTaskName: build
      taskServiceAccountName: sa
      taskPodTemplate: {nodeSelector: {a: b}}
`);
    expect(run?.kind === "PipelineRun" && run.spec).toEqual({
      pipelineRef: { name: "p" },
      timeouts: { pipeline: "1h" },
      taskRunTemplate: {
        serviceAccountName: "builder",
        podTemplate: { securityContext: { runAsUser: 1000 } },
      },
      taskRunSpecs: [
        {
          pipelineTaskName: "build",
          serviceAccountName: "sa",
          podTemplate: { nodeSelector: { a: "b" } },
        },
      ],
    });
  });

  test("v1beta1 TaskRun: a bundle reference becomes the bundles resolver", () => {
    const run = decode(`apiVersion: tekton.dev/v1beta1
kind: TaskRun
metadata: {name: tr}
spec:
  taskRef: {name: build, bundle: "reg.io/tasks:1"}
  stepOverrides: [{name: s}]
`);
    expect(run?.kind === "TaskRun" && run.spec).toEqual({
      taskRef: {
        resolver: "bundles",
        params: [
          { name: "bundle", value: "reg.io/tasks:1" },
          { name: "name", value: "build" },
          { name: "kind", value: "Task" },
        ],
      },
      stepSpecs: [{ name: "s" }],
    });
  });

  test("a Secret's data is decoded from base64 and stringData wins", () => {
    const secret = decode(`apiVersion: v1
kind: Secret
metadata: {name: s, annotations: {tekton.dev/git-0: github.com}}
type: kubernetes.io/basic-auth
data: {username: Ym90, password: b2xk}
stringData: {password: new}
`);
    expect(secret?.kind === "Secret" && [secret.data, secret.type]).toEqual([
      { username: "bot", password: "new" },
      "kubernetes.io/basic-auth",
    ]);
  });

  test("a ServiceAccount keeps its secrets' names", () => {
    const account = decode(`apiVersion: v1
kind: ServiceAccount
metadata: {name: builder}
secrets: [{name: git}, {name: docker}]
`);
    expect(account?.kind === "ServiceAccount" && account.secrets).toEqual(["git", "docker"]);
  });

  test.each([
    ["apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"],
    ["apiVersion: example.com/v1\nkind: Task\nmetadata: {name: t}\n"],
    ["just: a map\n"],
  ])("other documents are ignored: %p", (yaml) => {
    expect(decode(yaml)).toBeUndefined();
  });
});

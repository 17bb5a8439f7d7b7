import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

describe("step environment", () => {
  const run = once(() => mallet(["run", fixture("env-sources.yaml")]));

  test("env takes values, ConfigMap and Secret keys, fields, and expands $(VAR)", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    // The step compares the Secret's value itself ("match"): every output masks it.
    expect(resultOf(result.statuses[0], "env", "env")).toBe(
      "plain value|debug|match|env|unset|plain value at debug",
    );
  });

  test("envFrom imports every key of a ConfigMap and, prefixed, of a Secret", async () => {
    expect(resultOf((await run()).statuses[0], "env", "from")).toBe("debug|eu-west|match");
  });

  test("the Secret's value printed by the step is *** in the log", async () => {
    expect((await run()).stdout).toContain("[env : show] API key: ***\n");
  });

  test("a valueFrom naming a missing key fails the TaskRun with CreateContainerConfigError", async () => {
    const result = await runYaml(`
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {A: "1"}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
          steps:
            - image: localhost/standin/busybox
              env: [{name: B, valueFrom: {configMapKeyRef: {name: cfg, key: B}}}]
              script: "true"
`);
    expect(result.exitCode).toBe(1);
    expect(taskRunOf(result.statuses[0], "t")?.condition).toEqual({
      status: "False",
      reason: "CreateContainerConfigError",
      message: 'env "B": ConfigMap "cfg" has no key "B"',
    });
  });

  test("in a standalone TaskRun the same problem is an input error (exit 2)", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    steps:
      - image: localhost/standin/busybox
        env: [{name: B, valueFrom: {secretKeyRef: {name: nowhere, key: B}}}]
        script: "true"
`);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('mallet: <stdin>:5:1: env "B": Secret "nowhere" has no key "B"\n');
  });
});

describe("credentials", () => {
  const run = once(() => mallet(["run", fixture("credentials.yaml")]));

  // The step compares each file with what it must hold ("match"): every output masks them.
  test("git basic-auth Secrets become ~/.git-credentials", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(resultOf(result.statuses[0], "creds", "git")).toBe("match");
  });

  test("docker basic-auth Secrets become ~/.docker/config.json", async () => {
    expect(resultOf((await run()).statuses[0], "creds", "docker")).toBe("match");
  });

  test("ssh-auth Secrets become a key and an ssh config entry", async () => {
    expect(resultOf((await run()).statuses[0], "creds", "ssh")).toBe("match|1");
  });

  test("the files show the Secret values as ***, URL-encoded and base64 forms too", async () => {
    expect(resultOf((await run()).statuses[0], "creds", "shown")).toBe(
      'https://***:***@git.example.org\n{"auths":{"registry.example.org":{"auth":"***"}}}***',
    );
  });

  test("$(credentials.path) holds the same files", async () => {
    expect(resultOf((await run()).statuses[0], "creds", "path")).toBe("/tekton/creds:1");
  });
});

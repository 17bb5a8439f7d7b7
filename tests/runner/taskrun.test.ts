import { describe, expect, test } from "bun:test";
import { FakeEngine } from "../helpers/fake-engine.ts";
import { runOnFake } from "../helpers/run-with-fake.ts";

const withSidecar = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: build}
spec:
  taskSpec:
    results: [{name: digest}, {name: tags, type: array}]
    sidecars:
      - name: db
        image: postgres
        readinessProbe: {exec: {command: [pg_isready]}}
    steps:
      - name: compile
        image: alpine
        script: make
      - name: push
        image: alpine
        command: [push]
        args: [--to, registry]
`;

describe("a TaskRun on the fake engine", () => {
  test("the pod first; steps run in order once the sidecars are ready; the pod goes last", async () => {
    const engine = new FakeEngine();
    const { statuses } = await runOnFake(withSidecar, engine);

    expect(statuses[0]?.condition).toEqual({
      status: "True",
      reason: "Succeeded",
      message: "All Steps have completed executing",
    });
    const runId = (
      engine.calls.find((call) => call.method === "removeLabelled")?.target ?? ""
    ).split("=")[1];
    expect(engine.trace((call) => call.method !== "imageExists")).toEqual([
      "createPod build",
      "inspectImage postgres",
      // The first step's container is made while the sidecars start, the next while it runs.
      "createContainer build/step-compile",
      "createContainer build/sidecar-db",
      "startDetached build/sidecar-db",
      "exec build/sidecar-db",
      "runAttached build/step-compile",
      "createContainer build/step-push",
      "runAttached build/step-push",
      "removePod build",
      `removeLabelled mallet.run=${runId}`,
    ]);
  });

  test("every pod and container carries the run's label, the one removed at the end", async () => {
    const engine = new FakeEngine();
    await runOnFake(withSidecar, engine);

    const [pod] = [...engine.pods.values()];
    const runId = pod?.labels["mallet.run"];
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    expect(pod?.hostname).toBe("build-pod");
    for (const spec of engine.containers.values())
      expect(spec.labels).toEqual({ "mallet.run": runId as string });
    expect(engine.calls.at(-1)).toEqual({
      method: "removeLabelled",
      target: `mallet.run=${runId}`,
    });
  });

  test("containers run the script file, or the command with its args", async () => {
    const engine = new FakeEngine();
    await runOnFake(withSidecar, engine);

    const argv = engine.calls
      .filter((call) => call.method === "createContainer")
      .map((call) => [call.target, (call.detail as { argv: string[] }).argv]);
    expect(argv).toEqual([
      ["build/step-compile", ["/tekton/scripts/script-step-compile"]],
      ["build/sidecar-db", ["sh"]],
      ["build/step-push", ["push", "--to", "registry"]],
    ]);
  });

  test("results the step writes become the TaskRun's results, strings verbatim", async () => {
    const engine = new FakeEngine().on("step-compile", {
      results: { digest: "sha256:abc\n", tags: '["v1","latest"]' },
    });
    const { statuses } = await runOnFake(withSidecar, engine);

    expect(statuses[0]?.results).toEqual([
      { name: "digest", value: "sha256:abc\n" },
      { name: "tags", value: ["v1", "latest"] },
    ]);
  });

  test("a result that does not match its type fails the TaskRun", async () => {
    const engine = new FakeEngine().on("step-push", { results: { tags: "v1,latest" } });
    const { statuses } = await runOnFake(withSidecar, engine);

    expect(statuses[0]?.condition).toEqual({
      status: "False",
      reason: "TaskRunValidationFailed",
      message:
        'Provided results don\'t match declared results; may be invalid JSON or missing result declaration: "tags" is declared array but is not valid JSON',
    });
  });

  test("while a step runs, the next step's container is already created, and only that one", async () => {
    const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ahead}
spec:
  timeout: 50ms
  taskSpec:
    steps:
      - {name: first, image: alpine, script: sleep 60}
      - {name: second, image: alpine, script: "true"}
      - {name: third, image: alpine, script: "true"}
`;
    const engine = new FakeEngine().on("step-first", { durationMs: 5_000 });
    await runOnFake(yaml, engine);

    expect(engine.trace((call) => call.method === "runAttached")).toEqual([
      "runAttached ahead/step-first",
    ]);
    expect(engine.trace((call) => call.method === "createContainer")).toEqual([
      "createContainer ahead/step-first",
      "createContainer ahead/step-second",
    ]);
  });

  test("a step that uses an earlier step's result is created only once that step has run", async () => {
    const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: chain}
spec:
  taskSpec:
    steps:
      - name: produce
        image: alpine
        results: [{name: out}]
        script: printf hello > $(step.results.out.path)
      - {name: consume, image: alpine, command: [echo], args: ["$(steps.produce.results.out)"]}
`;
    const engine = new FakeEngine().on("step-produce", {
      files: { "/tekton/steps/step-produce/results/out": "hello" },
    });
    const { statuses } = await runOnFake(yaml, engine);

    expect(statuses[0]?.condition.reason).toBe("Succeeded");
    expect(
      engine.trace((call) => call.method === "createContainer" || call.method === "runAttached"),
    ).toEqual([
      "createContainer chain/step-produce",
      "runAttached chain/step-produce",
      "createContainer chain/step-consume",
      "runAttached chain/step-consume",
    ]);
    const consume = [...engine.containers.values()].find((spec) => spec.name.endsWith("consume"));
    expect(consume?.args).toEqual(["hello"]);
  });

  test("a failing step skips the rest, fails the TaskRun, and the pod is still removed", async () => {
    const engine = new FakeEngine().on("step-compile", {
      exitCode: 3,
      stderr: "make: *** no rule\n",
    });
    const { statuses, events } = await runOnFake(withSidecar, engine);

    expect(statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: '"step-compile" exited with code 3',
    });
    expect(statuses[0]?.taskRuns[0]?.steps).toEqual([
      { name: "compile", container: "step-compile", exitCode: 3, terminationReason: "Error" },
      { name: "push", container: "step-push", exitCode: undefined, terminationReason: "Skipped" },
    ]);
    expect(
      engine.trace((call) => call.method === "runAttached" || call.method === "removePod"),
    ).toEqual(["runAttached build/step-compile", "removePod build"]);
    expect(engine.calls.at(-1)?.method).toBe("removeLabelled");
    expect(events.filter((event) => event.kind === "log")).toEqual([
      {
        kind: "log",
        task: "build",
        taskRun: "build",
        step: "compile",
        stream: "stderr",
        line: "make: *** no rule",
      },
    ]);
  });

  test("onError: continue lets the next steps run and the TaskRun succeed", async () => {
    const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: lenient}
spec:
  taskSpec:
    steps:
      - {name: flaky, image: alpine, script: exit 1, onError: continue}
      - {name: after, image: alpine, script: "true"}
`;
    const engine = new FakeEngine().on("step-flaky", { exitCode: 1 });
    const { statuses } = await runOnFake(yaml, engine);

    expect(statuses[0]?.condition.reason).toBe("Succeeded");
    expect(engine.trace((call) => call.method === "runAttached")).toEqual([
      "runAttached lenient/step-flaky",
      "runAttached lenient/step-after",
    ]);
  });

  test("a step that outlives its timeout is stopped and fails the TaskRun", async () => {
    const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: slow}
spec:
  taskSpec:
    steps:
      - {name: sleep, image: alpine, script: sleep 60, timeout: 20ms}
`;
    const engine = new FakeEngine().on("step-sleep", { durationMs: 5_000 });
    const { statuses } = await runOnFake(yaml, engine);

    expect(statuses[0]?.condition).toEqual({
      status: "False",
      reason: "Failed",
      message: '"step-sleep" exited because the step exceeded the specified timeout limit',
    });
    expect(engine.trace((call) => call.method === "stopContainer")[0]).toBe(
      "stopContainer slow/step-sleep",
    );
  });

  test("a TaskRun that outlives its timeout is stopped with TaskRunTimeout", async () => {
    const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: slow}
spec:
  timeout: 20ms
  taskSpec:
    steps:
      - {name: sleep, image: alpine, script: sleep 60}
      - {name: never, image: alpine, script: "true"}
`;
    const engine = new FakeEngine().on("step-sleep", { durationMs: 5_000 });
    const { statuses } = await runOnFake(yaml, engine);

    expect(statuses[0]?.condition).toEqual({
      status: "False",
      reason: "TaskRunTimeout",
      message: 'TaskRun "slow" failed to finish within "20ms"',
    });
    expect(statuses[0]?.taskRuns[0]?.steps.map((step) => step.terminationReason)).toEqual([
      "TaskRunTimeout",
      "TaskRunTimeout",
    ]);
    expect(engine.trace((call) => call.method === "removePod")).toEqual(["removePod slow"]);
  });

  test("an image that is missing is pulled once before the pod is made", async () => {
    const engine = new FakeEngine();
    engine.missingImages.add("alpine");
    await runOnFake(withSidecar, engine);

    expect(engine.trace((call) => ["pullImage", "createPod"].includes(call.method))).toEqual([
      "pullImage alpine",
      "createPod build",
    ]);
  });
});

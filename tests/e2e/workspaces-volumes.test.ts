import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mallet, ROOT, resultOf, runYaml } from "../helpers/mallet.ts";
import { once, resultsOf } from "../helpers/status.ts";

setDefaultTimeout(60_000);
const fixture = (name: string) => join(ROOT, "tests/fixtures", name);

const TASK_WITH_SOURCE = `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: touch}
spec:
  workspaces: [{name: source}]
  results: [{name: seen}]
  steps:
    - image: localhost/standin/busybox
      script: |
        cat $(workspaces.source.path)/input.txt > $(results.seen.path)
        printf 'written by the step' > $(workspaces.source.path)/output.txt
`;

describe("host workspaces", () => {
  test("-w name=source,path=DIR mounts the directory: the step reads it and its file appears on the host", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-ws-"));
    writeFileSync(join(dir, "input.txt"), "from the host");
    try {
      const run = await runYaml(TASK_WITH_SOURCE, ["-w", `name=source,path=${dir}`]);
      expect(run.exitCode).toBe(0);
      expect(resultsOf(run.statuses[0]).seen).toBe("from the host");
      expect(readFileSync(join(dir, "output.txt"), "utf8")).toBe("written by the step");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a subPath binds a folder inside the directory, created when missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-ws-"));
    try {
      const run = await runYaml(
        TASK_WITH_SOURCE.replace("cat $(workspaces.source.path)/input.txt", "echo -n sub"),
        ["-w", `name=source,path=${dir},subPath=deep/er`],
      );
      expect(run.exitCode).toBe(0);
      expect(readFileSync(join(dir, "deep/er/output.txt"), "utf8")).toBe("written by the step");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ConfigMap, Secret and projected data", () => {
  const run = once(() => mallet(["run", fixture("data-volumes.yaml")]));

  test("a ConfigMap workspace has one file per key", async () => {
    const result = await run();
    expect(result.exitCode).toBe(0);
    expect(resultOf(result.statuses[0], "data", "config")).toBe("fast|hello from a ConfigMap");
  });

  // The step compares Secret values itself ("match"): every output masks them.
  test("a Secret workspace decodes data and takes stringData as is", async () => {
    expect(resultOf((await run()).statuses[0], "data", "secret")).toBe("match");
  });

  test("the Secret values the step wrote out are *** in its result and its log", async () => {
    const result = await run();
    expect(resultOf(result.statuses[0], "data", "shown")).toBe("***:***");
    expect(result.stdout).toContain("[data : read] secret workspace holds ***:***\n");
  });

  test("a projected workspace combines items of several sources", async () => {
    expect(resultOf((await run()).statuses[0], "data", "projected")).toBe("fast/match");
  });

  test("Task volumes honour items, paths and modes", async () => {
    expect(resultOf((await run()).statuses[0], "data", "volume")).toBe(
      "hello from a ConfigMap 400 match",
    );
  });

  test("ConfigMap and Secret workspaces are read-only", async () => {
    expect(resultOf((await run()).statuses[0], "data", "readonly")).toBe("read-only read-only");
  });

  test("a workspace naming a ConfigMap that is not in the input is an input error", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  workspaces: [{name: config, configMap: {name: absent}}]
  taskSpec:
    workspaces: [{name: config}]
    steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'mallet: <stdin>:5:1: ConfigMap "absent" was not found among the documents given\n',
    );
  });
});

describe("emptyDir and hostPath", () => {
  test("an emptyDir volume is shared by the steps of a TaskRun", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    volumes:
      - {name: scratch, emptyDir: {}}
    results: [{name: passed}]
    stepTemplate:
      image: localhost/standin/busybox
      volumeMounts: [{name: scratch, mountPath: /scratch}]
    steps:
      - {name: write, script: "printf handed-over > /scratch/file"}
      - {name: read, script: "cat /scratch/file > $(results.passed.path)"}
`);
    expect(result.exitCode).toBe(0);
    expect(resultOf(result.statuses[0], "t", "passed")).toBe("handed-over");
  });

  test("a hostPath volume in a document is refused: host directories are bound only with -w", async () => {
    const result = await runYaml(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    volumes:
      - {name: host, hostPath: {path: /etc}}
    steps:
      - image: localhost/standin/busybox
        volumeMounts: [{name: host, mountPath: /host}]
        script: cat /host/hostname
`);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      "mallet: <stdin>:7:22: hostPath is not allowed in documents: bind a host directory with -w NAME=...,path=DIR\n",
    );
  });

  test("an emptyDir workspace is not shared between the TaskRuns of a pipeline", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  workspaces: [{name: ws, emptyDir: {}}]
  pipelineSpec:
    workspaces: [{name: ws}]
    tasks:
      - name: write
        workspaces: [{name: ws}]
        taskSpec:
          workspaces: [{name: ws}]
          steps: [{image: localhost/standin/busybox, script: "touch $(workspaces.ws.path)/file"}]
      - name: look
        runAfter: [write]
        workspaces: [{name: ws}]
        taskSpec:
          workspaces: [{name: ws}]
          results: [{name: found}]
          steps:
            - image: localhost/standin/busybox
              script: "ls $(workspaces.ws.path) | wc -l | tr -d ' ' > $(results.found.path)"
`);
    expect(result.exitCode).toBe(0);
    expect(resultOf(result.statuses[0], "look", "found")).toBe("0\n");
  });
});

describe("persistent claims", () => {
  test("a PVC workspace outlives the run under <state-dir>/claims; a volumeClaimTemplate is shared by one run's tasks", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "mallet-state-"));
    try {
      const args = ["run", fixture("claims.yaml"), "--state-dir", stateDir];
      const first = await mallet(args);
      expect(first.exitCode).toBe(0);
      expect(resultOf(first.statuses[0], "append", "history")).toBe("1");
      expect(resultOf(first.statuses[0], "append", "claim")).toBe("build-cache");
      expect(resultOf(first.statuses[0], "read-scratch", "note")).toBe("from append");

      const second = await mallet(args);
      expect(resultOf(second.statuses[0], "append", "history")).toBe("2");
      expect(readFileSync(join(stateDir, "claims/build-cache/history"), "utf8")).toBe("run\nrun\n");
      expect(readdirSync(join(stateDir, "claims"))).toEqual(["build-cache"]);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe("workspace declarations", () => {
  test("an optional workspace may stay unbound: $(workspaces.x.bound) says so", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  workspaces: [{name: present, emptyDir: {}}]
  taskSpec:
    workspaces:
      - {name: present, optional: true}
      - {name: absent, optional: true}
    results: [{name: out}]
    steps:
      - image: localhost/standin/busybox
        script: |
          printf '%s %s [%s] [%s]' $(workspaces.present.bound) $(workspaces.absent.bound) "$(workspaces.present.path)" "$(workspaces.absent.path)" > $(results.out.path)
`);
    expect(result.exitCode).toBe(0);
    expect(resultOf(result.statuses[0], "t", "out")).toBe("true false [/workspace/present] []");
  });

  test("a required workspace left unbound fails its TaskRun before it starts", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: t
        taskSpec:
          workspaces: [{name: needed}]
          steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(result.exitCode).toBe(1);
    expect(result.statuses[0]?.taskRuns[0]?.condition).toEqual({
      status: "False",
      reason: "TaskRunValidationFailed",
      message: 'workspace "needed" is declared but not bound',
    });
    expect(result.statuses[0]?.taskRuns[0]?.steps).toEqual([]);
  });

  test("a task that when skips needs none of its workspaces: the run completes", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    tasks:
      - name: t
        when: [{input: a, operator: in, values: [b]}]
        taskSpec:
          workspaces: [{name: needed}]
          steps: [{image: localhost/standin/busybox, script: "true"}]
`);
    expect(result.exitCode).toBe(0);
    expect(result.statuses[0]?.condition.reason).toBe("Completed");
    expect(result.statuses[0]?.skippedTasks).toEqual([
      { name: "t", reason: "When Expressions evaluated to false" },
    ]);
  });

  test("a workspace declared readOnly cannot be written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-ro-"));
    try {
      const result = await runYaml(
        `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ro}
spec:
  workspaces: [{name: source, readOnly: true}]
  results: [{name: out}]
  steps:
    - image: localhost/standin/busybox
      script: |
        if touch $(workspaces.source.path)/x 2>/dev/null; then printf writable; else printf read-only; fi > $(results.out.path)
`,
        ["-w", `name=source,path=${dir}`],
      );
      expect(resultsOf(result.statuses[0]).out).toBe("read-only");
      expect(existsSync(join(dir, "x"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an optional pipeline workspace is reported by $(workspaces.x.bound) in a pipeline task", async () => {
    const result = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: p}
spec:
  pipelineSpec:
    workspaces: [{name: cache, optional: true}]
    tasks:
      - name: with-cache
        when: [{input: $(workspaces.cache.bound), operator: in, values: ["true"]}]
        taskSpec: {steps: [{image: localhost/standin/busybox, script: "true"}]}
      - name: without-cache
        when: [{input: $(workspaces.cache.bound), operator: in, values: ["false"]}]
        taskSpec: {steps: [{image: localhost/standin/busybox, script: "true"}]}
`);
    expect(result.exitCode).toBe(0);
    expect(result.statuses[0]?.skippedTasks).toEqual([
      { name: "with-cache", reason: "When Expressions evaluated to false" },
    ]);
  });
});

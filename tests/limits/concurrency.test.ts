import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import type { TaskRunStatus } from "../../src/core/status.ts";
import { startMallet } from "../helpers/live-mallet.ts";
import { runYaml } from "../helpers/mallet.ts";

const BUSYBOX = "localhost/standin/busybox";

/** Fifty tasks in ten chains of five: t10 waits for t00, t20 for t10, and so on. */
function fiftyTasks(): string {
  const tasks = Array.from({ length: 50 }, (_, i) => {
    const name = `t${String(i).padStart(2, "0")}`;
    const after = i >= 10 ? `\n        runAfter: [t${String(i - 10).padStart(2, "0")}]` : "";
    return `      - name: ${name}${after}
        taskSpec:
          results: [{name: ran}]
          steps:
            - image: ${BUSYBOX}
              script: sleep 0.3; printf ${name} > $(results.ran.path)`;
  });
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: fifty}
spec:
  pipelineSpec:
    tasks:
${tasks.join("\n")}
`;
}

/** The most TaskRuns that were running at the same moment, from their start and end times. */
function maxOverlap(runs: readonly TaskRunStatus[]): number {
  const edges = runs.flatMap((run) => [
    { at: Date.parse(run.startTime), delta: 1 },
    { at: Date.parse(run.completionTime), delta: -1 },
  ]);
  // At equal times an end comes first: a TaskRun that ends as another starts did not overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const edge of edges) {
    running += edge.delta;
    most = Math.max(most, running);
  }
  return most;
}

/** Pods of the run with a step or sidecar running, sampled from the engine. */
function activePods(runId: string): number {
  const result = spawnSync(
    "podman",
    [
      "ps",
      "--filter",
      `label=mallet.run=${runId}`,
      "--filter",
      "status=running",
      "--format",
      "{{.Names}} {{.Pod}}",
    ],
    { encoding: "utf8" },
  );
  const pods = result.stdout
    .split("\n")
    .filter((line) => line && !line.split(" ")[0]?.endsWith("-infra"))
    .map((line) => line.split(" ")[1]);
  return new Set(pods).size;
}

describe("a pipeline of 50 tasks with --concurrency 4", () => {
  test("runs every task exactly once, never more than 4 at a time", async () => {
    const live = startMallet(fiftyTasks(), ["--concurrency", "4"]);
    const runId = await live.runId();
    let sampled = 0;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, activePods(runId));
    }, 200);
    const exit = await live.exited;
    clearInterval(sampler);
    const status = live.statuses()[0];
    live.dispose();

    expect(exit.code).toBe(0);
    expect(sampled).toBeGreaterThanOrEqual(1);
    expect(sampled).toBeLessThanOrEqual(4);
    expect(status?.condition.reason).toBe("Succeeded");
    const names = (status?.taskRuns ?? []).map((taskRun) => taskRun.pipelineTask);
    expect(names).toHaveLength(50);
    expect(new Set(names).size).toBe(50);
    for (const taskRun of status?.taskRuns ?? []) {
      expect(taskRun.condition.reason).toBe("Succeeded");
      expect(taskRun.retryCount).toBe(0);
      expect(taskRun.results).toEqual([{ name: "ran", value: taskRun.pipelineTask as string }]);
    }
    const overlap = maxOverlap(status?.taskRuns ?? []);
    expect(overlap).toBeLessThanOrEqual(4);
    expect(overlap).toBeGreaterThanOrEqual(2);
  }, 300_000);
});

/** One PipelineRun named `twin`: writes its token to a workspace, sleeps, reads it back. */
function twin(token: string): string {
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: twin}
spec:
  params: [{name: token, value: ${token}}]
  workspaces:
    - name: shared
      volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce]}}
  pipelineSpec:
    params: [{name: token}]
    workspaces: [{name: shared}]
    results: [{name: read, value: "$(tasks.read.results.token)"}]
    tasks:
      - name: write
        workspaces: [{name: ws, workspace: shared}]
        params: [{name: token, value: "$(params.token)"}]
        taskSpec:
          params: [{name: token}]
          workspaces: [{name: ws}]
          steps:
            - image: ${BUSYBOX}
              script: printf $(params.token) > $(workspaces.ws.path)/token; sleep 2
      - name: read
        runAfter: [write]
        workspaces: [{name: ws, workspace: shared}]
        taskSpec:
          workspaces: [{name: ws}]
          results: [{name: token}]
          steps:
            - image: ${BUSYBOX}
              script: sleep 1; cat $(workspaces.ws.path)/token > $(results.token.path)
`;
}

describe("two runs of the same PipelineRun at once", () => {
  test("both succeed, each with its own pods, volumes and results", async () => {
    const [first, second] = await Promise.all([runYaml(twin("first")), runYaml(twin("second"))]);

    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(first.statuses[0]?.condition.reason).toBe("Succeeded");
    expect(second.statuses[0]?.condition.reason).toBe("Succeeded");
    expect(first.statuses[0]?.results).toEqual([{ name: "read", value: "first" }]);
    expect(second.statuses[0]?.results).toEqual([{ name: "read", value: "second" }]);
  }, 120_000);
});

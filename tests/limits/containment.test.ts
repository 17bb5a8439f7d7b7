import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runYaml } from "../helpers/mallet.ts";
import { taskRunOf } from "../helpers/status.ts";

const BUSYBOX = "localhost/standin/busybox";
const SLOW = 180_000;

// A host directory that steps may try to reach through a symbolic link they create.
let target = "";
afterEach(() => rmSync(target, { recursive: true, force: true }));
function hostTarget(): string {
  target = mkdtempSync(join(tmpdir(), "containment-target-"));
  return target;
}

describe("a symbolic link a step leaves cannot lead Mallet out of the volume", () => {
  test(
    "a later TaskRun's subPath through the link fails instead of mounting the host",
    async () => {
      const host = hostTarget();
      const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: sub}
spec:
  workspaces:
    - name: shared
      volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}}
  pipelineSpec:
    workspaces: [{name: shared}]
    tasks:
      - name: plant
        workspaces: [{name: ws, workspace: shared}]
        taskSpec:
          workspaces: [{name: ws}]
          steps:
            - image: ${BUSYBOX}
              script: ln -s ${host} $(workspaces.ws.path)/escape
      - name: use
        runAfter: [plant]
        workspaces: [{name: ws, workspace: shared, subPath: escape/inside}]
        taskSpec:
          workspaces: [{name: ws}]
          steps:
            - image: ${BUSYBOX}
              script: touch $(workspaces.ws.path)/written
`);
      expect(run.exitCode).toBe(1);
      expect(taskRunOf(run.statuses[0], "use")?.condition).toEqual({
        status: "False",
        reason: "TaskRunFailed",
        message: 'path "escape/inside" leaves its volume through a symbolic link',
      });
      expect(readdirSync(host)).toEqual([]);
    },
    SLOW,
  );

  test(
    "a later TaskRun's workingDir through the link is not created on the host",
    async () => {
      const host = hostTarget();
      const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: wd}
spec:
  workspaces:
    - name: shared
      volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}}
  pipelineSpec:
    workspaces: [{name: shared}]
    tasks:
      - name: plant
        workspaces: [{name: ws, workspace: shared}]
        taskSpec:
          workspaces: [{name: ws, mountPath: /shared}]
          steps:
            - image: ${BUSYBOX}
              script: ln -s ${host} /shared/escape
      - name: use
        runAfter: [plant]
        workspaces: [{name: ws, workspace: shared}]
        taskSpec:
          workspaces: [{name: ws, mountPath: /shared}]
          steps:
            - image: ${BUSYBOX}
              workingDir: /shared/escape/made
              script: pwd
`);
      expect(run.exitCode).toBe(1);
      expect(taskRunOf(run.statuses[0], "use")?.condition).toEqual({
        status: "False",
        reason: "TaskRunFailed",
        message: 'path "/escape/made" leaves its volume through a symbolic link',
      });
      expect(existsSync(join(host, "made"))).toBe(false);
    },
    SLOW,
  );

  test(
    "stdoutConfig.path on the link is not written through to the host",
    async () => {
      const host = hostTarget();
      const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: out}
spec:
  taskSpec:
    steps:
      - name: plant
        image: ${BUSYBOX}
        script: ln -s ${host}/stolen /workspace/out
      - name: use
        image: ${BUSYBOX}
        stdoutConfig: {path: /workspace/out}
        script: echo secret
`);
      expect(run.exitCode).toBe(1);
      expect(run.statuses[0]?.condition).toEqual({
        status: "False",
        reason: "TaskRunFailed",
        message: 'path "/out" leaves its volume through a symbolic link',
      });
      expect(existsSync(join(host, "stolen"))).toBe(false);
    },
    SLOW,
  );
});

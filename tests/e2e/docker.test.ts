import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MalletResult, PODMAN_API, runYaml } from "../helpers/mallet.ts";
import { resultsOf, taskRunOf } from "../helpers/status.ts";

setDefaultTimeout(120_000);

// The real docker CLI, pointed at podman's Docker-compatible API unless DOCKER_HOST says
// otherwise; the API is started here when nothing answers (CI's .ci/run may start it first).
const DOCKER_HOST = process.env.DOCKER_HOST ?? PODMAN_API;
const dockerEnv = { ...process.env, DOCKER_HOST };
const hasDocker = spawnSync("docker", ["--version"]).status === 0;

function docker(...args: string[]) {
  return spawnSync("docker", args, { env: dockerEnv, encoding: "utf8" });
}

let service: ReturnType<typeof spawn> | undefined;

async function startPodmanApi(): Promise<void> {
  if (docker("version").status === 0) return;
  if (DOCKER_HOST !== PODMAN_API) throw new Error(`no Docker API answers on ${DOCKER_HOST}`);
  rmSync(PODMAN_API.replace("unix://", ""), { force: true });
  service = spawn("podman", ["system", "service", "--time=0", PODMAN_API], {
    stdio: "ignore",
    detached: true,
  });
  for (let tries = 0; tries < 50; tries++) {
    if (docker("version").status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`podman system service did not answer on ${PODMAN_API}`);
}

// Two tasks of a pipeline run as `tkn start` would, with -w: the first talks to its sidecar
// over localhost, writes a result and a file in a host workspace; the second reads both.
const PIPELINE = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: docker-e2e}
spec:
  workspaces: [{name: shared}]
  results:
    - {name: answer, value: "$(tasks.fetch.results.answer)"}
    - {name: host, value: "$(tasks.fetch.results.host)"}
    - {name: seen, value: "$(tasks.check.results.seen)"}
  tasks:
    - name: fetch
      workspaces: [{name: shared, workspace: shared}]
      taskSpec:
        workspaces: [{name: shared}]
        results: [{name: answer}, {name: host}]
        sidecars:
          - name: server
            image: localhost/standin/busybox
            script: |
              mkdir -p /srv && echo -n 42 > /srv/answer
              exec httpd -f -p 8080 -h /srv
        steps:
          - name: ask
            image: localhost/standin/busybox
            script: |
              for i in $(seq 50); do
                wget -q -O $(results.answer.path) http://localhost:8080/answer && break
                sleep 0.1
              done
              hostname | tr -d '\\n' > $(results.host.path)
              echo "from fetch" > $(workspaces.shared.path)/note.txt
    - name: check
      runAfter: [fetch]
      params: [{name: answer, value: "$(tasks.fetch.results.answer)"}]
      workspaces: [{name: shared, workspace: shared}]
      taskSpec:
        params: [{name: answer}]
        workspaces: [{name: shared}]
        results: [{name: seen}]
        steps:
          - name: read
            image: localhost/standin/debian
            script: |
              printf '%s %s' "$(params.answer)" "$(cat $(workspaces.shared.path)/note.txt)" > $(results.seen.path)
`;

describe.if(hasDocker)("the docker engine (the docker CLI on podman's Docker API)", () => {
  let dir: string;
  let run: MalletResult;

  beforeAll(async () => {
    await startPodmanApi();
    dir = mkdtempSync(join(tmpdir(), "mallet-docker-"));
    writeFileSync(join(dir, "input.txt"), "from the host");
    run = await runYaml(PIPELINE, ["-w", `name=shared,path=${dir}`, "--engine", "docker"], {
      env: { DOCKER_HOST },
    });
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (service?.pid) process.kill(-service.pid, "SIGTERM");
  });

  test("a pipeline with a sidecar on localhost, results and a host workspace succeeds", () => {
    expect(run.exitCode).toBe(0);
    expect(run.statuses[0]?.condition.reason).toBe("Succeeded");
    // A pod's hostname is its name, derived from the TaskRun's.
    const host = `${taskRunOf(run.statuses[0], "fetch")?.name}-pod`;
    expect(resultsOf(run.statuses[0])).toEqual({ answer: "42", host, seen: "42 from fetch" });
  });

  test("the step's file is on the host", () => {
    expect(readFileSync(join(dir, "note.txt"), "utf8")).toBe("from fetch\n");
  });

  test("the step beside the sidecar Completed", () => {
    expect(
      taskRunOf(run.statuses[0], "fetch")?.steps.map((step) => step.terminationReason),
    ).toEqual(["Completed"]);
  });

  test("nothing is left behind: no container of the run remains", () => {
    const names = docker("ps", "--all", "--format", "{{.Names}}").stdout.split("\n");
    expect(names.filter((name) => name.includes("-docker-e2e-"))).toEqual([]);
  });
});

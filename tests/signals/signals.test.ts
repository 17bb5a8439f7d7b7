import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { removeShims, slowEngine } from "../helpers/engine-shim.ts";
import {
  containersOf,
  type LiveMallet,
  leftovers,
  NOTHING,
  poll,
  processesMentioning,
  runIdsIn,
  startMallet,
} from "../helpers/live-mallet.ts";
import { mallet } from "../helpers/mallet.ts";

const BUSYBOX = "localhost/standin/busybox";
const SLOW = 180_000;

const sleepingTaskRun = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sleeper}
spec:
  taskSpec:
    steps:
      - name: nap
        image: ${BUSYBOX}
        script: |
          echo napping
          sleep 300
      - name: never
        image: ${BUSYBOX}
        script: echo never
`;

const running: LiveMallet[] = [];

function start(...args: Parameters<typeof startMallet>): LiveMallet {
  const live = startMallet(...args);
  running.push(live);
  return live;
}

afterAll(removeShims);

// A test that failed half-way leaves its Mallet running: kill it and prune what it made.
afterEach(async () => {
  for (const live of running.splice(0)) {
    if (live.child.exitCode === null && live.child.signalCode === null) {
      live.child.kill("SIGKILL");
      await live.exited;
    }
    await mallet(["prune"], { env: { TMPDIR: live.tmp } });
    live.dispose();
  }
});

describe("Ctrl-C and SIGTERM during a step", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    test(
      `${signal} stops the step, removes everything and exits ${code} as Cancelled`,
      async () => {
        const live = start(sleepingTaskRun);
        await live.waitFor("napping");
        const runId = await live.runId();
        expect(containersOf(runId)).toContain(`mallet-${runId}-sleeper-step-nap`);

        live.child.kill(signal);
        const exit = await live.exited;

        expect(exit.code).toBe(code);
        expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
        const status = live.statuses()[0];
        expect(status?.condition).toEqual({
          status: "False",
          reason: "TaskRunCancelled",
          message: 'TaskRun "sleeper" was cancelled',
        });
        expect(status?.taskRuns[0]?.steps.map((step) => step.terminationReason)).toEqual([
          "Cancelled",
          "Cancelled",
        ]);
        expect(live.output()).not.toContain("never\n");
      },
      SLOW,
    );
  }

  test(
    "Ctrl-C at the terminal (the whole process group) cleans up the same way",
    async () => {
      const live = start(sleepingTaskRun, [], { group: true });
      await live.waitFor("napping");
      const runId = await live.runId();

      process.kill(-(live.child.pid as number), "SIGINT");
      const exit = await live.exited;

      expect(exit.code).toBe(130);
      expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
      expect(live.statuses()[0]?.condition.reason).toBe("TaskRunCancelled");
    },
    SLOW,
  );

  test(
    "a second Ctrl-C forces the exit at once, and prune removes what was left",
    async () => {
      const engine = slowEngine({ "pod rm": 20 });
      const live = start(sleepingTaskRun, [], { path: [engine] });
      await live.waitFor("napping");
      const runId = await live.runId();

      live.child.kill("SIGINT");
      await live.waitFor("again to force");
      const forcedAt = Date.now();
      live.child.kill("SIGINT");
      const exit = await live.exited;

      expect(exit.code).toBe(130);
      expect(Date.now() - forcedAt).toBeLessThan(10_000);
      expect(live.output()).toContain("forced exit: containers may be left; run `mallet prune`");
      const pruned = await mallet(["prune", "--run", runId], { env: { TMPDIR: live.tmp } });
      expect(pruned.exitCode).toBe(0);
      expect(pruned.stdout).toContain(`run ${runId}: removed`);
      expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
    },
    SLOW,
  );
});

describe("signals at other moments of a run", () => {
  test(
    "SIGINT while a sidecar is not ready yet",
    async () => {
      const live = start(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: waits}
spec:
  taskSpec:
    sidecars:
      - name: server
        image: ${BUSYBOX}
        script: sleep 300
        readinessProbe: {exec: {command: ["false"]}, periodSeconds: 1}
    steps:
      - name: client
        image: ${BUSYBOX}
        script: echo never
`);
      const runId = await live.runId();
      await poll(
        () => containersOf(runId).includes(`mallet-${runId}-waits-sidecar-server`),
        90_000,
        "the sidecar",
      );

      live.child.kill("SIGINT");
      const exit = await live.exited;

      expect(exit.code).toBe(130);
      expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
      expect(live.statuses()[0]?.condition.reason).toBe("TaskRunCancelled");
    },
    SLOW,
  );

  test(
    "SIGTERM while a step runs beside a sidecar",
    async () => {
      const live = start(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: beside}
spec:
  taskSpec:
    sidecars:
      - name: server
        image: ${BUSYBOX}
        script: sleep 300
    steps:
      - name: client
        image: ${BUSYBOX}
        script: |
          echo talking
          sleep 300
`);
      await live.waitFor("talking");
      const runId = await live.runId();

      live.child.kill("SIGTERM");
      const exit = await live.exited;

      expect(exit.code).toBe(143);
      expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
    },
    SLOW,
  );

  test(
    "SIGINT during an image pull ends the pull too",
    async () => {
      // A registry that accepts connections and never answers: the pull hangs.
      const registry = Bun.listen({
        hostname: "127.0.0.1",
        port: 0,
        socket: { data() {} },
      });
      const image = `localhost:${registry.port}/hang/forever:1`;
      try {
        const live = start(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: pulls}
spec:
  taskSpec:
    steps:
      - name: s
        image: ${image}
        script: echo never
`);
        const runId = await live.runId();
        await poll(
          () => processesMentioning(image).some((line) => line.includes("pull")),
          90_000,
          "podman pull",
        );

        live.child.kill("SIGINT");
        const exit = await live.exited;

        expect(exit.code).toBe(130);
        expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
        expect(live.statuses()[0]?.condition.reason).toBe("TaskRunCancelled");
        await poll(() => processesMentioning(image).length === 0, 10_000, "the pull to end");
      } finally {
        registry.stop(true);
      }
    },
    SLOW,
  );

  // A step without command or script: its image's entrypoint is inspected before it runs.
  const inspectedTaskRun = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sleeper}
spec:
  taskSpec:
    steps:
      - name: nap
        image: ${BUSYBOX}
        args: [sh, -c, "echo napping; sleep 300"]
`;

  for (const command of ["image inspect", "pod create", "create"]) {
    test(
      `SIGINT while \`podman ${command}\` runs`,
      async () => {
        const engine = slowEngine({ [command]: 4.321 });
        const live = start(inspectedTaskRun, [], { path: [engine] });
        const runId = await live.runId();
        await poll(
          () => processesMentioning("sleep 4.321").length > 0,
          90_000,
          `podman ${command}`,
        );

        live.child.kill("SIGINT");
        const exit = await live.exited;

        expect(exit.code).toBe(130);
        expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
        expect(live.output()).not.toContain("napping");
      },
      SLOW,
    );
  }

  test(
    "SIGTERM during a pipeline: running tasks stop, finally tasks do not start",
    async () => {
      const live = start(`
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: stopped}
spec:
  pipelineSpec:
    tasks:
      - name: first
        taskSpec:
          steps:
            - image: ${BUSYBOX}
              script: |
                echo working
                sleep 300
      - name: second
        runAfter: [first]
        taskSpec:
          steps:
            - image: ${BUSYBOX}
              script: echo never
    finally:
      - name: cleanup
        taskSpec:
          steps:
            - image: ${BUSYBOX}
              script: echo finally
`);
      await live.waitFor("working");
      const runId = await live.runId();

      live.child.kill("SIGTERM");
      const exit = await live.exited;

      expect(exit.code).toBe(143);
      expect(leftovers(runId, live.tmp)).toEqual(NOTHING);
      const status = live.statuses()[0];
      expect(status?.condition).toEqual({
        status: "False",
        reason: "Cancelled",
        message: 'PipelineRun "stopped" was cancelled',
      });
      expect(status?.taskRuns.map((run) => [run.pipelineTask, run.condition.reason])).toEqual([
        ["first", "TaskRunCancelled"],
      ]);
      expect(status?.skippedTasks.map((task) => task.name).sort()).toEqual(["cleanup", "second"]);
      expect(live.output()).not.toContain("finally\n");
    },
    SLOW,
  );
});

describe("mallet prune after kill -9", () => {
  test(
    "removes the killed run's objects and directory, and keeps a live run's",
    async () => {
      const killed = start(sleepingTaskRun);
      await killed.waitFor("napping");
      const killedId = await killed.runId();
      const alive = start(sleepingTaskRun, [], { tmp: killed.tmp });
      await alive.waitFor("napping");
      await poll(() => aliveId(killed.tmp, killedId) !== undefined, 90_000, "the second run");
      const aliveRun = aliveId(killed.tmp, killedId) as string;

      killed.child.kill("SIGKILL");
      await killed.exited;
      expect(leftovers(killedId, killed.tmp).dirs).toHaveLength(1);
      const pruned = await mallet(["prune"], { env: { TMPDIR: killed.tmp } });

      expect(pruned.exitCode).toBe(0);
      expect(pruned.stdout).toContain(`run ${killedId}: removed`);
      expect(pruned.stdout).toContain(`run ${aliveRun}: still running, kept`);
      expect(leftovers(killedId, killed.tmp)).toEqual(NOTHING);
      expect(containersOf(aliveRun)).toContain(`mallet-${aliveRun}-sleeper-step-nap`);

      alive.child.kill("SIGINT");
      expect((await alive.exited).code).toBe(130);
      expect(leftovers(aliveRun, killed.tmp)).toEqual(NOTHING);
    },
    SLOW,
  );

  test("prune with nothing left says so", async () => {
    const live = startMallet("", []);
    live.child.kill("SIGKILL");
    await live.exited;
    const pruned = await mallet(["prune"], { env: { TMPDIR: live.tmp } });
    live.dispose();
    expect(pruned.exitCode).toBe(0);
    expect(pruned.stdout).toBe("nothing to prune\n");
  });

  test("prune refuses a malformed run id", async () => {
    const pruned = await mallet(["prune", "--run", "../etc"]);
    expect(pruned.exitCode).toBe(2);
    expect(pruned.stderr).toBe('mallet: --run takes a run id of 8 hex digits, not "../etc"\n');
  });
});

function aliveId(tmp: string, other: string): string | undefined {
  return runIdsIn(tmp).find((id) => id !== other);
}

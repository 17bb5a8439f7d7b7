import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Check,
  doctorExitCode,
  formatDoctorReport,
  hintFor,
} from "../../src/cli/doctor-report.ts";
import { describeEngine, pickProbeImage } from "../../src/cli/doctor.ts";
import { missingEngineMessage, pickEngineName } from "../../src/cli/engine-choice.ts";
import { mallet, PODMAN_API } from "../helpers/mallet.ts";

setDefaultTimeout(60_000);

describe("choosing the engine", () => {
  const both = () => true;
  const none = () => false;
  const only = (name: string) => (binary: string) => binary === name;

  test.each([
    ["the flag wins", "docker", { MALLET_ENGINE: "podman" }, both, "docker"],
    ["then MALLET_ENGINE", undefined, { MALLET_ENGINE: "docker" }, both, "docker"],
    ["then podman if installed", undefined, {}, both, "podman"],
    ["else docker", undefined, {}, only("docker"), "docker"],
    ["else none", undefined, {}, none, undefined],
    [
      "an empty MALLET_ENGINE counts as unset",
      undefined,
      { MALLET_ENGINE: "" },
      only("docker"),
      "docker",
    ],
    ["a wanted engine is returned even when missing", "podman", {}, none, "podman"],
  ] as const)("%s", (_, flag, env, installed, expected) => {
    expect(pickEngineName(flag, env, installed)).toBe(expected);
  });

  test("an unknown engine is a usage error naming where it came from", () => {
    expect(() => pickEngineName(undefined, { MALLET_ENGINE: "lxc" }, () => true)).toThrow(
      'MALLET_ENGINE must be podman or docker, not "lxc"',
    );
    expect(() => pickEngineName("rkt", {}, () => true)).toThrow(
      '--engine must be podman or docker, not "rkt"',
    );
  });

  test.each([
    [
      undefined,
      "neither podman nor docker was found on PATH; install podman (Debian/Ubuntu: sudo apt-get " +
        "install podman; Fedora: sudo dnf install podman) or Docker " +
        "(https://docs.docker.com/engine/install/)",
    ],
    ["docker", "docker was not found on PATH; install it, or use --engine podman if you have that"],
  ] as const)("missing engine %p", (name, message) => {
    expect(missingEngineMessage(name)).toBe(message);
  });
});

describe("the report", () => {
  test.each([
    [
      "error setting rlimits for ready process: error setting rlimit type 7: operation not permitted",
      /default_ulimits = \["nofile=1024:1024", "nproc=1024:1024"\]/,
    ],
    [
      "crun: creating cgroup directory: No such file or directory: OCI runtime error",
      /runtime = "runc"/,
    ],
    [
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      /DOCKER_HOST/,
    ],
    [
      'slirp4netns failed: "open(\\"/dev/net/tun\\"): Permission denied"',
      /chmod 0666 \/dev\/net\/tun/,
    ],
    ["cannot find mappings for user mallet: No subuid ranges found", /--add-subuids/],
    [
      "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
      /docker group/,
    ],
  ])("a known failure gets its fix: %s", (text, hint) => {
    expect(hintFor(text)).toMatch(hint);
  });

  test("an unknown failure gets no hint", () => {
    expect(hintFor("something nobody has seen")).toBeUndefined();
  });

  const ok: Check[] = [
    { name: "engine", state: "ok", summary: "podman 4.3.1, rootful, at /usr/bin/podman" },
    { name: "containers", state: "ok", summary: "a container starts in a pod (busybox)" },
  ];

  test("all well: one line per check, exit code 0", () => {
    expect(formatDoctorReport(ok)).toBe(
      "engine      ok       podman 4.3.1, rootful, at /usr/bin/podman\n" +
        "containers  ok       a container starts in a pod (busybox)\n" +
        "all is well\n",
    );
    expect(doctorExitCode(ok)).toBe(0);
  });

  test("a failure: the engine's words and the hint under it, exit code 1; skipped is no failure", () => {
    const checks: Check[] = [
      {
        name: "engine",
        state: "failed",
        summary: "docker does not answer",
        detail: "a\nb",
        hint: "start it",
      },
      { name: "containers", state: "skipped", summary: "not probed: no image is present" },
    ];
    expect(formatDoctorReport(checks)).toBe(
      "engine      FAILED   docker does not answer\n" +
        "                     a\n" +
        "                     b\n" +
        "                     hint: start it\n" +
        "containers  skipped  not probed: no image is present\n" +
        "1 problem found\n",
    );
    expect(doctorExitCode(checks)).toBe(1);
    expect(doctorExitCode([checks[1] as Check])).toBe(0);
  });

  test.each([
    [
      { version: "4.3.1", clientVersion: undefined, rootless: false, server: undefined },
      "podman 4.3.1",
    ],
    [
      { version: "4.3.1", clientVersion: "28.2.2", rootless: false, server: "Podman Engine" },
      "docker 28.2.2, server Podman Engine 4.3.1",
    ],
    [
      { version: "28.2.2", clientVersion: "28.2.2", rootless: true, server: "Engine" },
      "docker 28.2.2, server Docker Engine 28.2.2",
    ],
  ])("describeEngine %#", (facts, expected) => {
    expect(describeEngine(facts.clientVersion ? "docker" : "podman", facts)).toBe(expected);
  });

  test.each([
    [["localhost/app:1", "docker.io/library/busybox:latest"], "docker.io/library/busybox:latest"],
    [["localhost/app:1", "localhost/other:2"], "localhost/app:1"],
    [[], undefined],
  ])("pickProbeImage(%p)", (images, expected) => {
    expect(pickProbeImage(images)).toBe(expected);
  });
});

const podmanVersion = spawnSync("podman", ["version", "--format", "{{.Client.Version}}"], {
  encoding: "utf8",
}).stdout.trim();

describe.if(podmanVersion !== "")("mallet doctor on this machine", () => {
  const scratch = mkdtempSync(join(tmpdir(), "mallet-doctor-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("a working podman: version, rootful, a container starts; exit 0", async () => {
    const run = await mallet(["doctor", "--engine", "podman"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n").slice(0, 2)).toEqual([
      `engine      ok       podman ${podmanVersion}, rootful, at ${which("podman")}`,
      expect.stringMatching(
        /^containers  ok       a container starts in a pod \(.+\)$/,
      ) as unknown as string,
    ]);
    expect(run.stdout).toEndWith("all is well\n");
  });

  test("a missing engine: what to install; exit 1", async () => {
    const run = await mallet(["doctor"], { env: { PATH: scratch, MALLET_ENGINE: "" } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(
      `engine  FAILED   ${missingEngineMessage(undefined)}\n1 problem found\n`,
    );
  });

  test("docker with no daemon behind DOCKER_HOST: the reason and where to point it; exit 1", async () => {
    const run = await mallet(["doctor", "--engine", "docker"], {
      env: { DOCKER_HOST: `unix://${join(scratch, "nothing.sock")}` },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toStartWith("engine   FAILED   docker at ");
    expect(run.stdout).toContain("Cannot connect to the Docker daemon");
    expect(run.stdout).toContain("hint: docker cannot reach a daemon");
  });

  test("docker through podman's Docker API: both versions; exit 0", async () => {
    if (
      spawnSync("docker", ["version"], { env: { ...process.env, DOCKER_HOST: PODMAN_API } })
        .status !== 0
    )
      return;
    const run = await mallet(["doctor", "--engine", "docker"], {
      env: { DOCKER_HOST: PODMAN_API },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`, server Podman Engine ${podmanVersion}, rootful, at `);
  });

  // An engine that cannot raise rlimits, as on these machines before scripts/setup.sh: a limit
  // above any kernel's nr_open fails everywhere, so the failure is real and the same on every host.
  test("an engine that cannot raise rlimits: containers FAILED with the containers.conf fix", async () => {
    const conf = join(scratch, "containers.conf");
    writeFileSync(
      conf,
      '[engine]\nruntime = "runc"\n[containers]\ndefault_ulimits = ["nofile=999999999:999999999"]\n',
    );
    const run = await mallet(["doctor", "--engine", "podman"], { env: { CONTAINERS_CONF: conf } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("containers  FAILED   a container cannot start");
    expect(run.stdout).toContain("error setting rlimit");
    expect(run.stdout).toContain("hint: the runtime cannot raise resource limits");
    expect(run.stdout).toEndWith("1 problem found\n");
  });
});

function which(binary: string): string {
  return spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" }).stdout.trim();
}

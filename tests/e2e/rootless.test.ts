import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMAGE_MAP, mallet, malletCommand } from "../helpers/mallet.ts";

setDefaultTimeout(120_000);

// A user made for these tests, with subordinate ids for rootless podman.
const USER = "mallettest";
const SUBIDS = "200000-265535";
const IMAGE = "localhost/standin/busybox";

// A step (as root, as Tekton's steps are by default) writes a tree, a file it gives to uid
// 1000 (as a step with runAsUser would leave it) and a folder only uid 1000 may enter.
const TASK = `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: write}
spec:
  workspaces: [{name: out}]
  steps:
    - name: make
      image: ${IMAGE}
      script: |
        cd $(workspaces.out.path)
        mkdir -p made/deeper && echo hi > made/deeper/file.txt
        echo other > other-user.txt && chown 1000:1000 other-user.txt
        mkdir closed && echo x > closed/inner && chown -R 1000:1000 closed && chmod 700 closed
        ln -s /etc/passwd link
`;

function sh(command: string, args: string[], input?: Buffer) {
  return spawnSync(command, args, { encoding: "utf8", ...(input ? { input } : {}) });
}

function asUser(args: string[]) {
  return sh("runuser", ["-u", USER, "--", ...args]);
}

function has(binary: string): boolean {
  return sh("sh", ["-c", `command -v ${binary}`]).status === 0;
}

/** Makes the user, its subordinate ids and its image store; says why rootless cannot run. */
function prepareUser(): string | undefined {
  if (process.getuid?.() !== 0) return "these tests set up a user, which needs root";
  if (!["podman", "runuser", "useradd", "usermod"].every(has))
    return "podman or shadow tools missing";
  if (sh("id", [USER]).status !== 0) {
    const made = sh("useradd", ["--create-home", "--shell", "/bin/sh", USER]);
    if (made.status !== 0) return `useradd failed: ${made.stderr.trim()}`;
  }
  if (!readFileSync("/etc/subuid", "utf8").includes(`${USER}:`)) {
    sh("usermod", ["--add-subuids", SUBIDS, "--add-subgids", SUBIDS, USER]);
  }
  allowNetworking();
  if (asUser(["podman", "image", "exists", IMAGE]).status !== 0) {
    const image = spawnSync("podman", ["save", IMAGE]).stdout;
    const loaded = spawnSync("runuser", ["-u", USER, "--", "podman", "load"], { input: image });
    if (loaded.status !== 0) return `podman load as ${USER} failed: ${loaded.stderr}`;
  }
  const probe = asUser(["podman", "run", "--rm", IMAGE, "true"]);
  if (probe.status !== 0) return `rootless podman cannot start a container: ${probe.stderr.trim()}`;
  return undefined;
}

// Rootless podman networks through slirp4netns, which opens /dev/net/tun; where that is
// root's alone (as on these machines: crw-------), the user's pods get a network of their own
// with only loopback, which is all a TaskRun's steps and sidecars need.
function allowNetworking(): void {
  if (asUser(["test", "-r", "/dev/net/tun", "-a", "-w", "/dev/net/tun"]).status === 0) return;
  const home = sh("sh", ["-c", `getent passwd ${USER} | cut -d: -f6`]).stdout.trim();
  const dir = join(home, ".config/containers");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "containers.conf"), '[containers]\nnetns = "none"\n');
  asUser(["true"]);
  sh("chown", ["-R", `${USER}:`, join(home, ".config")]);
}

const unusable = prepareUser();
const ids = unusable
  ? undefined
  : { uid: Number(sh("id", ["-u", USER]).stdout), gid: Number(sh("id", ["-g", USER]).stdout) };
const dirs: string[] = [];

/** A host workspace owned by the test user, which the user may enter. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "mallet-owner-"));
  dirs.push(dir);
  chownSync(dir, ids?.uid ?? 0, ids?.gid ?? 0);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every entry below `dir` with its owner, as `path uid:gid`. */
function owners(dir: string, rel = ""): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const stats = lstatSync(join(dir, path));
    lines.push(`${path} ${stats.uid}:${stats.gid}`);
    if (stats.isDirectory()) lines.push(...owners(dir, path));
  }
  return lines;
}

function expectAllOwnedByUser(dir: string): void {
  const owner = `${ids?.uid}:${ids?.gid}`;
  const paths = [
    "closed",
    "closed/inner",
    "link",
    "made",
    "made/deeper",
    "made/deeper/file.txt",
    "other-user.txt",
  ];
  expect(owners(dir).filter((line) => !line.startsWith(".state"))).toEqual(
    paths.map((path) => `${path} ${owner}`),
  );
}

/** Runs mallet as the test user, in `dir`, and returns its exit code and output. */
function runAsUser(dir: string, args: string[], env: Record<string, string> = {}) {
  const envArgs = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  const [command, ...rest] = malletCommand();
  const argv = ["--", "env", ...envArgs, command as string, ...rest, "run", "-", ...args];
  return new Promise<{ code: number; out: string }>((done) => {
    const child = spawn("runuser", ["-u", USER, ...argv], { cwd: dir });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.stdin.end(TASK);
    child.on("close", (code) => done({ code: code ?? 1, out }));
  });
}

const runArgs = (dir: string) => [
  "-w",
  `name=out,path=${dir}`,
  "--image-map",
  IMAGE_MAP,
  "--state-dir",
  join(dir, ".state"),
  "-o",
  "plain",
];

describe("host workspaces end up owned by the user who ran mallet", () => {
  if (unusable) {
    test.skip(`rootless podman cannot run here: ${unusable}`, () => {});
    return;
  }

  test("rootless podman: what root in a step wrote is the user's; other uids are given back", async () => {
    const dir = workspace();
    const run = await runAsUser(dir, [...runArgs(dir), "--engine", "podman"]);
    expect({ code: run.code, tail: run.out.trim().split("\n").pop() }).toEqual({
      code: 0,
      tail: expect.stringContaining("Succeeded") as unknown as string,
    });
    expectAllOwnedByUser(dir);
    expect(readFileSync(join(dir, "made/deeper/file.txt"), "utf8")).toBe("hi\n");
  });

  test("run by sudo (root, SUDO_UID set): files are given to the user behind sudo", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "root-before.txt"), "root's, before the run");
    const before = `root-before.txt 0:0`;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const run = await mallet(["run", "-", ...runArgs(dir)], {
      stdin: TASK,
      env: { SUDO_UID: String(ids?.uid), SUDO_GID: String(ids?.gid) },
    });
    expect(run.exitCode).toBe(0);
    expect(owners(dir)).toContain(before);
    rmSync(join(dir, "root-before.txt"));
    expectAllOwnedByUser(dir);
    expect(lstatSync("/etc/passwd").uid).toBe(0);
  });

  test.if(has("docker"))(
    "a rootful daemon used by a non-root user (the docker group): a root container gives files back",
    async () => {
      const socket = join(tmpdir(), `mallet-test-api-${process.pid}.sock`);
      const service = spawn("podman", ["system", "service", "--time=0", `unix://${socket}`], {
        stdio: "ignore",
      });
      try {
        for (let tries = 0; tries < 50 && !existsSync(socket); tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        // What membership of the docker group grants: the user may use the daemon's socket.
        sh("chmod", ["0666", socket]);
        const dir = workspace();
        const run = await runAsUser(dir, [...runArgs(dir), "--engine", "docker"], {
          DOCKER_HOST: `unix://${socket}`,
        });
        expect(run.out).toContain("Succeeded");
        expect(run.code).toBe(0);
        expectAllOwnedByUser(dir);
      } finally {
        service.kill("SIGTERM");
        rmSync(socket, { force: true });
      }
    },
  );
});

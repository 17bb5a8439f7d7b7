import { expect, test } from "bun:test";
import { dockerArgs, dockerMount } from "../../src/backend/docker-args.ts";
import type { ContainerSpec } from "../../src/backend/engine.ts";
import { sharedArgs } from "../../src/backend/podman-args.ts";

const spec: ContainerSpec = {
  name: "mallet-1a2b3c4d-hello-step-build",
  image: "docker.io/library/alpine:3.20",
  pod: "mallet-1a2b3c4d-hello",
  entrypoint: "/tekton/scripts/script-step-build",
  args: ["--flag"],
  env: [["HOME", "/tekton/home"]],
  workingDir: "/workspace",
  user: "1000",
  mounts: [
    { source: "/tmp/run/workspace", target: "/workspace", readOnly: false },
    { source: "/tmp/run/scripts", target: "/tekton/scripts", readOnly: true },
  ],
  labels: { "mallet.run": "1a2b3c4d" },
};

const pod = {
  name: "mallet-1a2b3c4d-hello",
  hostname: "hello-pod",
  labels: { "mallet.run": "1a2b3c4d" },
  image: "localhost/standin/busybox",
};

// Docker's own builders; the ones it shares with podman are checked in podman-args.test.ts.
const table: Array<[keyof typeof dockerArgs, string[], string[]]> = [
  [
    "imageExists",
    dockerArgs.imageExists("alpine"),
    ["image", "inspect", "--format", "{{.Id}}", "alpine"],
  ],
  [
    "runNetworkHolder",
    dockerArgs.runNetworkHolder(pod, "/tmp/mallet-pause-0123"),
    [
      "run",
      "--detach",
      "--name",
      "mallet-1a2b3c4d-hello",
      "--hostname",
      "hello-pod",
      "--label",
      "mallet.run=1a2b3c4d",
      "--label",
      "mallet.pod=mallet-1a2b3c4d-hello",
      "--ipc",
      "shareable",
      "--pull",
      "never",
      "--no-healthcheck",
      "--mount",
      "type=bind,source=/tmp/mallet-pause-0123,destination=/.mallet/pause,readonly",
      "--entrypoint",
      "/.mallet/pause",
      "localhost/standin/busybox",
    ],
  ],
  [
    "createContainer",
    dockerArgs.createContainer(spec, false),
    [
      "create",
      "--network",
      "container:mallet-1a2b3c4d-hello",
      "--ipc",
      "container:mallet-1a2b3c4d-hello",
      "--pull",
      "never",
      "--name",
      "mallet-1a2b3c4d-hello-step-build",
      "--label",
      "mallet.run=1a2b3c4d",
      "--label",
      "mallet.pod=mallet-1a2b3c4d-hello",
      "--env",
      "HOME=/tekton/home",
      "--mount",
      "type=bind,source=/tmp/run/workspace,destination=/workspace",
      "--mount",
      "type=bind,source=/tmp/run/scripts,destination=/tekton/scripts,readonly",
      "--workdir",
      "/workspace",
      "--user",
      "1000",
      "--entrypoint",
      "/tekton/scripts/script-step-build",
      "docker.io/library/alpine:3.20",
      "--flag",
    ],
  ],
  [
    "listPodMembers",
    dockerArgs.listPodMembers("mallet-1a2b3c4d-hello"),
    ["ps", "--all", "--filter", "label=mallet.pod=mallet-1a2b3c4d-hello", "--format", "{{.Names}}"],
  ],
  ["stop", dockerArgs.stop("c"), ["stop", "-t", "0", "c"]],
  ["removeContainer", dockerArgs.removeContainer("c"), ["rm", "--force", "c"]],
  ["removeContainers", dockerArgs.removeContainers(["c1", "c2"]), ["rm", "--force", "c1", "c2"]],
];

test.each(table)("dockerArgs.%s", (_, argv, expected) => {
  expect(argv).toEqual(expected);
});

test("every builder is docker's own or shared with podman", () => {
  const own = table.map(([name]) => name as string);
  const shared = Object.keys(sharedArgs);
  expect(Object.keys(dockerArgs).sort()).toEqual([...own, ...shared].sort());
  for (const key of shared as Array<keyof typeof sharedArgs>) {
    expect(dockerArgs[key]).toBe(sharedArgs[key]);
  }
});

test("a daemon that does not share the holder's hostname is given it (podman's API)", () => {
  const argv = dockerArgs.createContainer(spec, false, "hello-pod");
  expect(argv.slice(0, 7)).toEqual([
    "create",
    "--network",
    "container:mallet-1a2b3c4d-hello",
    "--ipc",
    "container:mallet-1a2b3c4d-hello",
    "--hostname",
    "hello-pod",
  ]);
});

test.each<[string, boolean, boolean, string[]]>([
  ["writable", false, false, ["--mount", "type=bind,source=/h,destination=/c"]],
  ["read-only", true, false, ["--mount", "type=bind,source=/h,destination=/c,readonly"]],
  // docker's --mount cannot relabel: SELinux needs the --volume form.
  ["relabelled for SELinux", false, true, ["--volume", "/h:/c:z"]],
  ["read-only and relabelled", true, true, ["--volume", "/h:/c:ro,z"]],
])("dockerMount: %s", (_, readOnly, relabel, expected) => {
  expect(dockerMount(relabel)({ source: "/h", target: "/c", readOnly })).toEqual(expected);
});

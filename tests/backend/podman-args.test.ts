import { expect, test } from "bun:test";
import type { ContainerSpec } from "../../src/backend/engine.ts";
import {
  containerFlags,
  labelFlags,
  podmanArgs,
  podmanMount,
  sharedArgs,
} from "../../src/backend/podman-args.ts";

const spec: ContainerSpec = {
  name: "mallet-1a2b3c4d-hello-step-build",
  image: "docker.io/library/alpine:3.20",
  pod: "mallet-1a2b3c4d-hello",
  entrypoint: "/tekton/scripts/script-step-build",
  args: ["--flag", "two words"],
  env: [
    ["HOME", "/tekton/home"],
    ["EMPTY", ""],
    ["EQ", "a=b"],
  ],
  workingDir: "/workspace/src",
  user: "1000:1000",
  mounts: [
    { source: "/tmp/run/workspace", target: "/workspace", readOnly: false },
    { source: "/tmp/run/scripts", target: "/tekton/scripts", readOnly: true },
  ],
  labels: { "mallet.run": "1a2b3c4d" },
};

const minimal: ContainerSpec = {
  name: "c",
  image: "alpine",
  pod: "p",
  entrypoint: "echo",
  args: [],
  env: [],
  workingDir: undefined,
  user: undefined,
  mounts: [],
  labels: {},
};

// Every builder of podmanArgs (its own and those shared with docker), with the argv it gives.
const table: Array<[keyof typeof podmanArgs, string[], string[]]> = [
  ["imageExists", podmanArgs.imageExists("alpine"), ["image", "exists", "alpine"]],
  ["pull", podmanArgs.pull("alpine:3"), ["pull", "--quiet", "alpine:3"]],
  [
    "inspectImage",
    podmanArgs.inspectImage("alpine"),
    ["image", "inspect", "--format", "{{json .Config}}", "alpine"],
  ],
  [
    "createPod",
    podmanArgs.createPod("mallet-1a2b-hello", "hello-pod", { "mallet.run": "1a2b", team: "x" }),
    [
      "pod",
      "create",
      "--name",
      "mallet-1a2b-hello",
      "--hostname",
      "hello-pod",
      "--label",
      "mallet.run=1a2b",
      "--label",
      "team=x",
    ],
  ],
  [
    "removePod",
    podmanArgs.removePod("p"),
    ["pod", "rm", "--force", "--time", "0", "--ignore", "p"],
  ],
  [
    "createContainer",
    podmanArgs.createContainer(spec, false),
    [
      "create",
      "--pod",
      "mallet-1a2b3c4d-hello",
      "--name",
      "mallet-1a2b3c4d-hello-step-build",
      "--label",
      "mallet.run=1a2b3c4d",
      "--env",
      "HOME=/tekton/home",
      "--env",
      "EMPTY=",
      "--env",
      "EQ=a=b",
      "--mount",
      "type=bind,source=/tmp/run/workspace,destination=/workspace",
      "--mount",
      "type=bind,source=/tmp/run/scripts,destination=/tekton/scripts,readonly",
      "--workdir",
      "/workspace/src",
      "--user",
      "1000:1000",
      "--entrypoint",
      "/tekton/scripts/script-step-build",
      "docker.io/library/alpine:3.20",
      "--flag",
      "two words",
    ],
  ],
  ["startAttached", podmanArgs.startAttached("c"), ["start", "--attach", "c"]],
  ["startDetached", podmanArgs.startDetached("c"), ["start", "c"]],
  [
    "copyInto",
    podmanArgs.copyInto("/tmp/tree/workspace", "c", "/"),
    ["cp", "/tmp/tree/workspace", "c:/"],
  ],
  [
    "exec",
    podmanArgs.exec("c", ["pg_isready", "-h", "localhost"]),
    ["exec", "c", "pg_isready", "-h", "localhost"],
  ],
  ["stop", podmanArgs.stop("c"), ["stop", "--time", "0", "--ignore", "c"]],
  [
    "removeContainer",
    podmanArgs.removeContainer("c"),
    ["rm", "--force", "--time", "0", "--ignore", "c"],
  ],
  [
    "listPods",
    podmanArgs.listPods("mallet.run=1a2b"),
    ["pod", "ps", "--quiet", "--filter", "label=mallet.run=1a2b"],
  ],
  [
    "listContainers",
    podmanArgs.listContainers("mallet.run"),
    ["ps", "--all", "--quiet", "--filter", "label=mallet.run"],
  ],
  [
    "listVolumes",
    podmanArgs.listVolumes("mallet.run=1a2b"),
    ["volume", "ls", "--quiet", "--filter", "label=mallet.run=1a2b"],
  ],
  [
    "removePods",
    podmanArgs.removePods(["p1", "p2"]),
    ["pod", "rm", "--force", "--time", "0", "p1", "p2"],
  ],
  [
    "removeContainers",
    podmanArgs.removeContainers(["c1", "c2"]),
    ["rm", "--force", "--time", "0", "c1", "c2"],
  ],
  ["removeVolumes", podmanArgs.removeVolumes(["v1"]), ["volume", "rm", "--force", "v1"]],
  ["version", podmanArgs.version(), ["version", "--format", "{{json .}}"]],
  ["info", podmanArgs.info(), ["info", "--format", "{{json .}}"]],
  ["listImages", podmanArgs.listImages(), ["images", "--format", "{{.Repository}}:{{.Tag}}"]],
  [
    "unshareChown",
    podmanArgs.unshareChown(["/tmp/a", "/tmp/b"]),
    ["unshare", "chown", "-h", "0:0", "--", "/tmp/a", "/tmp/b"],
  ],
  [
    "chownInContainer",
    podmanArgs.chownInContainer("alpine", "/tmp/run", "1000:1000", ["home/.ssh", ""]),
    [
      "run",
      "--rm",
      "--network",
      "none",
      "--user",
      "0:0",
      "--mount",
      "type=bind,source=/tmp/run,destination=/mallet-chown",
      "--entrypoint",
      "chown",
      "alpine",
      "-h",
      "1000:1000",
      "--",
      "/mallet-chown/home/.ssh",
      "/mallet-chown",
    ],
  ],
  [
    "probe",
    podmanArgs.probe("alpine", "/opt/mallet/probe", "/mallet/probe"),
    [
      "run",
      "--rm",
      "--mount",
      "type=bind,source=/opt/mallet/probe,destination=/mallet/probe,readonly",
      "--entrypoint",
      "/mallet/probe",
      "alpine",
    ],
  ],
];

test.each(table)("podmanArgs.%s", (_, argv, expected) => {
  expect(argv).toEqual(expected);
});

test("the table covers every builder", () => {
  const covered: string[] = table.map(([name]) => name);
  expect(covered.sort()).toEqual(Object.keys(podmanArgs).sort());
});

test("the shared builders are the ones podman uses", () => {
  for (const key of Object.keys(sharedArgs) as Array<keyof typeof sharedArgs>) {
    expect(podmanArgs[key]).toBe(sharedArgs[key]);
  }
});

test.each<[string, boolean, boolean, string[]]>([
  ["writable", false, false, ["--mount", "type=bind,source=/h,destination=/c"]],
  ["read-only", true, false, ["--mount", "type=bind,source=/h,destination=/c,readonly"]],
  [
    "relabelled for SELinux",
    false,
    true,
    ["--mount", "type=bind,source=/h,destination=/c,relabel=shared"],
  ],
  [
    "read-only and relabelled",
    true,
    true,
    ["--mount", "type=bind,source=/h,destination=/c,readonly,relabel=shared"],
  ],
])("podmanMount: %s", (_, readOnly, relabel, expected) => {
  expect(podmanMount(relabel)({ source: "/h", target: "/c", readOnly })).toEqual(expected);
});

test("createContainer relabels every mount where SELinux is on", () => {
  const argv = podmanArgs.createContainer({ ...minimal, mounts: spec.mounts }, true);
  expect(argv.filter((arg) => arg.startsWith("type=bind"))).toEqual([
    "type=bind,source=/tmp/run/workspace,destination=/workspace,relabel=shared",
    "type=bind,source=/tmp/run/scripts,destination=/tekton/scripts,readonly,relabel=shared",
  ]);
});

test.each<[string, ContainerSpec, string[]]>([
  [
    "a minimal container: no --pod, no workdir, no user",
    minimal,
    ["--name", "c", "--entrypoint", "echo", "alpine"],
  ],
  [
    "args follow the image, so they reach the entrypoint",
    { ...minimal, args: ["-c", "echo $HOME"] },
    ["--name", "c", "--entrypoint", "echo", "alpine", "-c", "echo $HOME"],
  ],
])("containerFlags: %s", (_, container, expected) => {
  expect(containerFlags(container, podmanMount(false))).toEqual(expected);
});

test("labelFlags", () => {
  expect(labelFlags({ a: "1", "b.c/d": "" })).toEqual(["--label", "a=1", "--label", "b.c/d="]);
});

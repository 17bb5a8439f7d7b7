import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mallet } from "../helpers/mallet.ts";

setDefaultTimeout(60_000);

/** A TaskRun whose one step runs `script` in `image`. */
function runIn(image: string, script: string): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    steps:
      - name: x
        image: ${image}
        script: |
${script
  .split("\n")
  .map((line) => `          ${line}`)
  .join("\n")}
`;
}

describe("image replacement", () => {
  test("--image-map FILE replaces any tag of a mapped repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-map-"));
    const map = join(dir, "images.yaml");
    writeFileSync(map, "registry.example.org/tools/shell: localhost/standin/busybox\n");
    try {
      const run = await mallet(["run", "-", "--image-map", map, "--pull", "never"], {
        stdin: runIn("registry.example.org/tools/shell:1.2@sha256:abc", "echo mapped"),
      });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain("[t : x] mapped");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--image from=to replaces one repository; short names are normalised as docker does", async () => {
    const run = await mallet(
      ["run", "-", "--image", "busybox=localhost/standin/busybox", "--pull", "never"],
      { stdin: runIn("docker.io/library/busybox:1.36", "echo short name mapped") },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("[t : x] short name mapped");
  });

  test("a python image mapped to the debian stand-in runs python", async () => {
    const run = await mallet(
      ["run", "-", "--image", "mirror.gcr.io/python=localhost/standin/debian", "--pull", "never"],
      { stdin: runIn("mirror.gcr.io/python:3.12", "#!/usr/bin/env python3\nprint(6 * 7)") },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("[t : x] 42");
  });

  test("an image that is missing and may not be pulled fails the TaskRun (TaskRunImagePullFailed)", async () => {
    const run = await mallet(["run", "-", "--pull", "never"], {
      stdin: runIn("registry.example.invalid/nothing:1", "echo never"),
    });
    expect(run.exitCode).toBe(1);
    expect(run.statuses[0]?.condition.reason).toBe("TaskRunImagePullFailed");
    expect(run.statuses[0]?.condition.message).toContain("registry.example.invalid/nothing:1");
  });
});

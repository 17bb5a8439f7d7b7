import { expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMAGE_MAP, ROOT } from "../helpers/mallet.ts";

// Runs the CLI from source under Deno (the npm package `deno`), so src stays on node: APIs
// and never leans on Bun's own.
const DENO = join(ROOT, "node_modules/.bin/deno");
const present = existsSync(DENO);
if (!present) console.warn("skipping tests/build/deno.test.ts: no deno (npm install)");

function deno(args: string[], stdin = "") {
  const argv = ["run", "--allow-all", join(ROOT, "src/cli/main.ts"), ...args];
  const child = spawn(DENO, argv, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  child.stdin.end(stdin);
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk));
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) =>
    child.on("close", (code) => done({ exitCode: code ?? 1, ...output })),
  );
}

test.skipIf(!present)("under Deno, mallet --version prints the source version", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const result = await deno(["--version"]);
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(new RegExp(`^mallet ${version}-dev( \\([0-9a-f]+\\))?\\n$`));
});

test.skipIf(!present)("under Deno, mallet runs a one-step TaskRun to its result", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mallet-deno-"));
  const statusFile = join(dir, "status.json");
  try {
    const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: under-deno}
spec:
  taskSpec:
    results: [{name: runtime}]
    steps:
      - name: answer
        image: mirror.gcr.io/busybox
        script: printf deno > $(results.runtime.path)
`;
    const args = ["run", "-", "--image-map", IMAGE_MAP, "--status-file", statusFile];
    const result = await deno(args, yaml);
    expect(result.exitCode).toBe(0);
    const [status] = JSON.parse(readFileSync(statusFile, "utf8"));
    expect(status.condition.reason).toBe("Succeeded");
    expect(status.taskRuns[0].results).toEqual([{ name: "runtime", value: "deno" }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

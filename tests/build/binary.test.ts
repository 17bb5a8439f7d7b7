import { expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMAGE_MAP, ROOT } from "../helpers/mallet.ts";

// The black-box test of the compiled binary; .ci/run builds it first (bun scripts/build.ts).
const BIN = join(ROOT, "dist/mallet");
const built = existsSync(BIN);
if (!built) console.warn("skipping tests/build/binary.test.ts: no dist/mallet (bun run build)");

const ONE_STEP = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: one-step}
spec:
  taskSpec:
    results: [{name: greeting}]
    steps:
      - name: greet
        image: mirror.gcr.io/busybox
        script: printf hello > $(results.greeting.path)
`;

function runBinary(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(BIN, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk));
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) =>
    child.on("close", (code) => done({ exitCode: code ?? 1, ...output })),
  );
}

test.skipIf(!built)("the binary prints its version and the commit it was built from", async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const result = await runBinary(["--version"], tmpdir());
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toMatch(new RegExp(`^mallet ${version} \\([0-9a-f]{7,}(-dirty)?\\)\\n$`));
});

test.skipIf(!built)(
  "the binary runs a TaskRun and ignores .env and bunfig.toml in its directory",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "mallet-binary-"));
    try {
      // Bun's executables would read both by default: the first would pick an unknown engine,
      // the second would fail on a preload that does not exist.
      writeFileSync(join(dir, ".env"), "MALLET_ENGINE=no-such-engine\n");
      writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./no-such-preload.ts"]\n');
      writeFileSync(join(dir, "run.yaml"), ONE_STEP);
      const { MALLET_ENGINE: _, ...env } = process.env;
      const args = ["run", "run.yaml", "--image-map", IMAGE_MAP, "--status-file", "status.json"];
      const result = await runBinary(args, dir, { ...env, NO_COLOR: "1" });
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      const [status] = JSON.parse(readFileSync(join(dir, "status.json"), "utf8"));
      expect(status.condition.reason).toBe("Succeeded");
      expect(status.taskRuns[0].results).toEqual([{ name: "greeting", value: "hello" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

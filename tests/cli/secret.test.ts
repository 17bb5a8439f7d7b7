import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runYaml } from "../helpers/mallet.ts";

// Two secrets: one from a Secret document, one from --secret. The step prints both, on
// stdout and stderr, and writes one to a result; none may reach any output or saved file.
const FROM_DOCUMENT = "doc-s3cr3t-value";
const FROM_FLAG = "flag-t0ken-value";
const YAML = `
apiVersion: v1
kind: Secret
metadata: { name: db }
stringData: { password: ${FROM_DOCUMENT} }
---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: leaky }
spec:
  taskSpec:
    results: [{ name: token }]
    steps:
      - name: print
        image: localhost/standin/busybox
        env:
          - name: PASSWORD
            valueFrom: { secretKeyRef: { name: db, key: password } }
          - name: TOKEN
            valueFrom: { secretKeyRef: { name: api, key: token } }
        script: |
          echo "password is $PASSWORD"
          echo "token is $TOKEN" >&2
          printf '%s' "$TOKEN" > $(results.token.path)
`;

const stateDir = mkdtempSync(join(tmpdir(), "mallet-secret-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function savedText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, "utf8"))
    .join("\n");
}

describe("secret values", () => {
  test.each(["plain", "json"])(
    "never appear in -o %s output, --debug traces or saved runs",
    async (output) => {
      const args = [
        "--secret",
        `api/token=${FROM_FLAG}`,
        "-o",
        output,
        "--debug",
        "--state-dir",
        stateDir,
      ];
      const result = await runYaml(YAML, args);
      expect(result.exitCode).toBe(0);
      const saved = savedText(join(stateDir, "runs", "leaky"));
      for (const text of [result.stdout, result.stderr, saved]) {
        expect(text).not.toContain(FROM_DOCUMENT);
        expect(text).not.toContain(FROM_FLAG);
      }
      expect(result.stdout).toContain("password is ***");
      expect(result.stdout).toContain("token is ***");
      expect(result.stderr).toContain("--env PASSWORD=*** ");
      expect(readFileSync(join(stateDir, "runs/leaky/logs/leaky/print.log"), "utf8")).toBe(
        "password is ***\ntoken is ***\n",
      );
      expect(
        JSON.parse(readFileSync(join(stateDir, "runs/leaky/status.json"), "utf8")).results,
      ).toEqual([{ name: "token", value: "***" }]);
    },
  );
});

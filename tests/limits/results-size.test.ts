import { describe, expect, test } from "bun:test";
import { resultOf, runYaml } from "../helpers/mallet.ts";

const BUSYBOX = "localhost/standin/busybox";
const SLOW = 180_000;
const TOO_LARGE =
  "Termination message is above max allowed size 4096, caused by large task result.";

function writesResult(script: string) {
  return `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: writer}
spec:
  taskSpec:
    results: [{name: big}, {name: small}]
    steps:
      - name: write
        image: ${BUSYBOX}
        script: |
          ${script}
`;
}

describe("results follow Tekton's 4096-byte limit per TaskRun", () => {
  test(
    "4096 bytes in all are accepted",
    async () => {
      const run = await runYaml(
        writesResult(
          "head -c 4000 /dev/zero | tr '\\\\0' a > $(results.big.path); head -c 96 /dev/zero | tr '\\\\0' b > $(results.small.path)",
        ),
      );
      expect(run.exitCode).toBe(0);
      expect(String(resultOf(run.statuses[0], "writer", "big")).length).toBe(4000);
    },
    SLOW,
  );

  test(
    "one byte more fails the TaskRun with Tekton's reason and message",
    async () => {
      const run = await runYaml(
        writesResult(
          "head -c 4000 /dev/zero | tr '\\\\0' a > $(results.big.path); head -c 97 /dev/zero | tr '\\\\0' b > $(results.small.path)",
        ),
      );
      expect(run.exitCode).toBe(1);
      expect(run.statuses[0]?.condition).toEqual({
        status: "False",
        reason: "TaskRunResultLargerThanAllowedLimit",
        message: TOO_LARGE,
      });
    },
    SLOW,
  );

  test(
    "a result of 200 MB is not read into memory: the same failure, quickly",
    async () => {
      const started = Date.now();
      const run = await runYaml(writesResult("head -c 200000000 /dev/zero > $(results.big.path)"));
      expect(run.exitCode).toBe(1);
      expect(run.statuses[0]?.condition.reason).toBe("TaskRunResultLargerThanAllowedLimit");
      expect(run.statuses[0]?.condition.message).toBe(TOO_LARGE);
      expect(run.statuses[0]?.results).toEqual([]);
      expect(Date.now() - started).toBeLessThan(60_000);
    },
    SLOW,
  );

  test(
    "a result that is a symbolic link is refused, never followed to a host file",
    async () => {
      const run = await runYaml(writesResult("ln -s /etc/hostname $(results.big.path)"));
      expect(run.exitCode).toBe(1);
      expect(run.statuses[0]?.condition).toEqual({
        status: "False",
        reason: "TaskRunValidationFailed",
        message: "big is not a regular file",
      });
      expect(run.statuses[0]?.results).toEqual([]);
    },
    SLOW,
  );
});

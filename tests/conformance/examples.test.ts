import { describe, expect, test } from "bun:test";
import { listExamples, runExample } from "./harness.ts";

// Each upstream example must end as it does on a Tekton cluster: Succeeded. On failure the
// diff shows the first run's condition reason and message.
describe("upstream Tekton examples", () => {
  for (const example of listExamples()) {
    test.concurrent(example, async () => {
      const outcome = await runExample(example);
      expect({ example, passed: outcome.passed, reason: outcome.reason }).toEqual({
        example,
        passed: true,
        reason: outcome.passed ? outcome.reason : "Succeeded",
      });
    });
  }
});

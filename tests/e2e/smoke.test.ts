import { expect, test } from "bun:test";
import { resultOf, runYaml } from "../helpers/mallet.ts";

test("a TaskRun's result is reported exactly, trailing newline included", async () => {
  const yaml = `
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: smoke}
spec:
  taskSpec:
    results: [{name: greeting}]
    steps:
      - name: write
        image: localhost/standin/busybox
        script: printf 'hello world\\n' > $(results.greeting.path)
`;
  const result = await runYaml(yaml);
  expect(result.exitCode).toBe(0);
  expect(result.statuses[0]?.condition.reason).toBe("Succeeded");
  expect(resultOf(result.statuses[0], "smoke", "greeting")).toBe("hello world\n");
});

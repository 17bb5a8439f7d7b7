import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES, IMAGE_MAP, mallet } from "../helpers/mallet.ts";

export interface ExampleOutcome {
  example: string;
  passed: boolean;
  /** Why it failed: the first run's condition, or what mallet said when it stopped early. */
  reason: string;
  seconds: number;
}

/** The upstream examples that must pass: every TaskRun and PipelineRun file not in EXCLUDED.md. */
export function listExamples(): string[] {
  const excluded = new Set(
    [
      ...readFileSync(join(EXAMPLES, "EXCLUDED.md"), "utf8").matchAll(
        /^\| ([a-z]+\/[^ |]+\.yaml)/gm,
      ),
    ].map((m) => m[1]),
  );
  return ["taskruns", "pipelineruns"].flatMap((dir) =>
    readdirSync(join(EXAMPLES, dir))
      .filter((name) => name.endsWith(".yaml"))
      .sort()
      .map((name) => `${dir}/${name}`)
      .filter((example) => !excluded.has(example)),
  );
}

/**
 * Runs one example as upstream judges it: its first run (the first TaskRun of a taskruns/
 * file, the first PipelineRun of a pipelineruns/ file) must end with Succeeded = True.
 */
export async function runExample(
  example: string,
  extraArgs: string[] = [],
): Promise<ExampleOutcome> {
  const started = performance.now();
  const result = await mallet([
    "run",
    join(EXAMPLES, example),
    "--image-map",
    IMAGE_MAP,
    ...extraArgs,
  ]);
  const seconds = (performance.now() - started) / 1000;
  const kind = example.startsWith("taskruns/") ? "TaskRun" : "PipelineRun";
  const first = result.statuses.find((status) => status.kind === kind);
  if (!first) {
    const said = result.stderr.trim().split("\n").pop() ?? "";
    return {
      example,
      passed: false,
      reason: `no ${kind} finished (exit ${result.exitCode}): ${said}`,
      seconds,
    };
  }
  const { condition } = first;
  const passed = condition.status === "True";
  return { example, passed, reason: `${condition.reason}: ${condition.message}`, seconds };
}

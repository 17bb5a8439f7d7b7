import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { EXAMPLES, IMAGE_MAP, mallet } from "../helpers/mallet.ts";
import { FIXTURES } from "../ui/helpers.ts";

const SHOWCASE = join(FIXTURES, "showcase.yaml");

describe("mallet run --dry-run", () => {
  test("prints the run as YAML with referenced Tasks inlined, and the plan as comments", async () => {
    const file = join(EXAMPLES, "pipelineruns/pipelinerun-results.yaml");
    const result = await mallet(["run", file, "--dry-run"], { status: false });
    expect(result.exitCode).toBe(0);
    const [doc] = parseAllDocuments(result.stdout).map((item) => item.toJS());
    expect(doc.kind).toBe("PipelineRun");
    expect(doc.metadata).toEqual({ name: "sum-three-pipeline-run" });
    const tasks = doc.spec.pipelineSpec.tasks;
    expect(tasks.map((task: { name: string }) => task.name)).toEqual(["first-add", "second-add"]);
    expect(tasks[0].taskRef).toBeUndefined();
    expect(tasks[0].taskSpec.steps[0].name).toBe("add");
    expect(result.stdout.trimEnd().split("\n").slice(-3)).toEqual([
      "# plan: PipelineRun sum-three-pipeline-run",
      "#   1. first-add (Task add-task)",
      "#   2. second-add (Task add-task)",
    ]);
  });

  test("a TaskRun's plan lists its steps with the images they would run", async () => {
    const file = join(EXAMPLES, "taskruns/task-result.yaml");
    const result = await mallet(["run", file, "--dry-run", "--image-map", IMAGE_MAP], {
      status: false,
    });
    expect(result.stdout.trimEnd().split("\n").slice(-3)).toEqual([
      "# plan: TaskRun print-date-",
      "#   1. print-date-unix-timestamp: localhost/standin/debian:latest",
      "#   2. print-date-human-readable: localhost/standin/debian:latest",
    ]);
  });

  test("levels of the DAG, with matrix, when and retries noted", async () => {
    const result = await mallet(["run", SHOWCASE, "--dry-run"], { status: false });
    expect(result.stdout.trimEnd().split("\n").slice(-5)).toEqual([
      "# plan: PipelineRun showcase",
      "#   1. fetch, docs (when)",
      "#   2. build (matrix arch), unit-test (retries 1)",
      "#   3. deploy",
      "#   finally: report",
    ]);
  });
});

describe("mallet graph", () => {
  test("draws the DAG in the terminal", async () => {
    const result = await mallet(["graph", SHOWCASE]);
    expect(result.stdout.split("\n")).toEqual([
      "Pipeline showcase",
      "● fetch",
      "├─┐",
      "● │ build  (matrix arch)",
      "│ │",
      "│ ● unit-test  (retries 1)",
      "│ │",
      "│ │ ● docs  (when)",
      "│ │",
      "├─┘",
      "● deploy",
      "┄┄ finally ┄┄",
      "◆ report",
      "",
    ]);
  });

  test("emits Mermaid and DOT", async () => {
    const mermaid = await mallet(["graph", SHOWCASE, "--format", "mermaid"]);
    expect(mermaid.stdout).toContain("flowchart TD\n");
    expect(mermaid.stdout).toContain("  t0 --> t1\n");
    const dot = await mallet(["graph", SHOWCASE, "-f", "dot"]);
    expect(dot.stdout).toContain('  "unit-test" -> "deploy";\n');
    const bad = await mallet(["graph", SHOWCASE, "-f", "svg"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('mallet: --format must be text, mermaid or dot, not "svg"\n');
  });
});

describe("mallet completion", () => {
  test("bash: a valid script that knows the commands and their flags", async () => {
    const result = await mallet(["completion", "bash"]);
    expect(spawnSync("bash", ["-n"], { input: result.stdout }).status).toBe(0);
    expect(result.stdout).toContain(
      '    logs) opts="--task -t --step -s --output -o --timestamps --state-dir" ;;',
    );
    expect(result.stdout).toContain("complete -o filenames -o bashdefault -F _mallet mallet");
  });

  test("zsh and fish", async () => {
    expect((await mallet(["completion", "zsh"])).stdout).toContain("bashcompinit");
    const fish = (await mallet(["completion", "fish"])).stdout;
    expect(fish).toContain(
      "complete -c mallet -n '__fish_seen_subcommand_from run' -l dry-run -d ",
    );
  });
});

describe("--help", () => {
  test.each(["run", "logs", "runs", "graph", "completion"])(
    "mallet %s --help shows examples",
    async (command) => {
      const result = await mallet([command, "--help"]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain("Examples:");
    },
  );
});

#!/usr/bin/env bun
/**
 * Peak memory of a run whose step prints a lot (500 MB by default), against the same step run
 * by the bare engine (`podman run`), as a ratio. Memory is the resident set of the whole
 * process tree (Mallet or podman, and every process below it), sampled from /proc.
 *
 *   bun scripts/bench-memory.ts [--mb 500] [--image IMAGE] [--pipe] [--output tree [--verbose]]
 *
 * --pipe sends the output through a pipe this script drains, instead of to /dev/null, to show
 * that a reader slower than the step does not make Mallet buffer. Linux only (/proc).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const ROOT = resolve(import.meta.dir, "..");
const PAGE_KB = 4;

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "500" },
    image: { type: "string", default: "localhost/standin/busybox" },
    pipe: { type: "boolean", default: false },
    output: { type: "string", default: "plain" },
    verbose: { type: "boolean", default: false },
  },
});
const bytes = Math.round(Number(values.mb) * 1_000_000);
const script = `head -c ${bytes} /dev/zero | tr '\\0' a | fold -w 100`;

interface Measure {
  peakKb: number;
  seconds: number;
  exitCode: number | null;
  lines: number;
}

/** The resident set of `pid` and all its descendants, in KiB. */
function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * PAGE_KB);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {}
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs argv with stdout to /dev/null (or a drained pipe) and samples its tree's memory. */
async function measure(argv: string[]): Promise<Measure> {
  const started = Date.now();
  const out = values.pipe ? "pipe" : openSync("/dev/null", "w");
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    stdio: ["ignore", out, "inherit"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let lines = 0;
  child.stdout?.on("data", (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  let peakKb = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakKb = Math.max(peakKb, treeRssKb(child.pid));
  }, 50);
  const exitCode = await new Promise<number | null>((done) => child.on("close", done));
  clearInterval(sampler);
  return { peakKb, seconds: (Date.now() - started) / 1000, exitCode, lines };
}

function taskRunYaml(): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: loud}
spec:
  timeout: 1h
  taskSpec:
    steps:
      - name: print
        image: ${values.image}
        script: |
          ${script}
`;
}

function report(label: string, result: Measure): void {
  const mb = (result.peakKb / 1024).toFixed(1);
  const lines = values.pipe ? `, ${result.lines} lines read` : "";
  console.log(
    `${label.padEnd(14)} peak ${mb.padStart(8)} MiB in ${result.seconds.toFixed(1)} s (exit ${result.exitCode}${lines})`,
  );
}

const scratch = mkdtempSync(join(tmpdir(), "bench-memory-"));
try {
  const file = join(scratch, "loud.yaml");
  writeFileSync(file, taskRunYaml());
  console.log(
    `a step printing ${values.mb} MB (${bytes / 100} lines), output to ${values.pipe ? "a pipe" : "/dev/null"}`,
  );
  const engine = await measure(["podman", "run", "--rm", values.image, "sh", "-c", script]);
  report("podman run", engine);
  const mallet = await measure([
    process.execPath,
    join(ROOT, "src/cli/main.ts"),
    "run",
    file,
    "-o",
    values.output,
    ...(values.verbose ? ["--verbose"] : []),
    "--state-dir",
    join(scratch, "state"),
  ]);
  report("mallet run", mallet);
  console.log(`ratio (mallet / podman): ${(mallet.peakKb / engine.peakKb).toFixed(2)}`);
  if (mallet.exitCode !== 0 || engine.exitCode !== 0) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// Measures what the compiled binary costs, against plain podman, in one run:
//   npx bun scripts/bench.ts [--reps N] [--bin dist/mallet] [--compare OTHER_BIN] [--no-write]
// Every workload runs once to warm up, then N times; the repetitions are interleaved (each
// round runs every workload once) so that load on the machine touches all of them alike, and
// ratios are taken within a round. Results go to docs/benchmarks.md and a summary to stdout.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, release, tmpdir, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  formatKb,
  formatMs,
  formatRatio,
  markdownTable,
  pairedRatios,
  summarize,
} from "./bench-stats.ts";

const ROOT = resolve(import.meta.dirname, "..");
const IMAGE = "localhost/standin/busybox:latest";
const TIME = "/usr/bin/time"; // GNU time, for peak memory (apt-get install time)

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "5" },
    bin: { type: "string", default: "dist/mallet" },
    compare: { type: "string" },
    "no-write": { type: "boolean" },
  },
});
const reps = Math.max(1, Number(values.reps) || 5);
const bin = resolve(ROOT, values.bin ?? "dist/mallet");
const compare = values.compare ? resolve(ROOT, values.compare) : undefined;
for (const file of [bin, compare]) {
  if (file && !existsSync(file)) throw new Error(`${file} is missing: run npx bun run build`);
}

// --- workloads ---------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), "mallet-bench-"));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const step = (i: number) => `{name: s${i}, image: ${IMAGE}, script: "echo step ${i}"}`;
const taskRun = (steps: number) =>
  `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: bench-${steps}}\nspec:\n` +
  `  taskSpec:\n    steps:\n${Array.from({ length: steps }, (_, i) => `      - ${step(i)}\n`).join("")}`;
const pipelineRun = (tasks: number) =>
  `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: fan-${tasks}}\nspec:\n` +
  `  pipelineSpec:\n    tasks:\n${Array.from(
    { length: tasks },
    (_, i) => `      - {name: t${i}, taskSpec: {steps: [${step(0)}]}}\n`,
  ).join("")}`;
// The same ten containers as the 10-step TaskRun: same image, same command, one after another.
const shell = (pod: boolean) => {
  const join_ = pod ? "--pod bench-pod " : "";
  const runs = Array.from(
    { length: 10 },
    (_, i) => `podman run --rm ${join_}${IMAGE} sh -c 'echo step ${i}'\n`,
  );
  if (!pod) return `set -e\n${runs.join("")}`;
  return `set -e\npodman pod create --name bench-pod >/dev/null\n${runs.join("")}podman pod rm --force --time 0 bench-pod >/dev/null\n`;
};

const files = {
  one: file("one-step.yaml", taskRun(1)),
  ten: file("ten-steps.yaml", taskRun(10)),
  p1: file("pipeline-1.yaml", pipelineRun(1)),
  p8: file("pipeline-8.yaml", pipelineRun(8)),
  sh: file("ten-podman-run.sh", shell(false)),
  shPod: file("ten-podman-run-pod.sh", shell(true)),
};

interface Workload {
  key: string;
  argv: string[];
  /** Measure peak memory (GNU time), and repeat it this many times per round. */
  memory?: number;
}

const workloads: Workload[] = [
  { key: "one", argv: [bin, "run", files.one] },
  { key: "one-source", argv: [process.execPath, join(ROOT, "src/cli/main.ts"), "run", files.one] },
  { key: "ten", argv: [bin, "run", files.ten] },
  { key: "shell", argv: ["sh", files.sh] },
  { key: "shell-pod", argv: ["sh", files.shPod] },
  { key: "p1", argv: [bin, "run", files.p1] },
  { key: "p8", argv: [bin, "run", files.p8] },
  { key: "p8-c8", argv: [bin, "run", files.p8, "--concurrency", "8"] },
  { key: "version", argv: [bin, "--version"], memory: 4 },
  { key: "validate", argv: [bin, "validate", files.one], memory: 4 },
  ...(compare
    ? [
        { key: "cmp-one", argv: [compare, "run", files.one] },
        { key: "cmp-ten", argv: [compare, "run", files.ten] },
        { key: "cmp-p8", argv: [compare, "run", files.p8] },
      ]
    : []),
];

// --- measuring ---------------------------------------------------------------------------
interface Sample {
  ms: number;
  kb: number | undefined;
  exitCode: number;
  stderr: string;
}

function measure(argv: readonly string[], memory: boolean): Promise<Sample> {
  const rssFile = join(dir, "rss");
  const full = memory && existsSync(TIME) ? [TIME, "-f", "%M", "-o", rssFile, ...argv] : argv;
  const [command, ...args] = full as [string, ...string[]];
  const started = performance.now();
  const child = spawn(command, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((done) =>
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const kb =
        full !== argv ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : undefined;
      done({ ms, kb, exitCode: code ?? 1, stderr });
    }),
  );
}

const samples = new Map<string, Sample[]>(workloads.map((w) => [w.key, []]));
const broken = new Map<string, string>();

async function round(record: boolean): Promise<void> {
  for (const workload of workloads) {
    if (broken.has(workload.key)) continue;
    for (let i = 0; i < (record ? (workload.memory ?? 1) : 1); i++) {
      const sample = await measure(workload.argv, workload.memory !== undefined);
      if (sample.exitCode !== 0) {
        broken.set(
          workload.key,
          sample.stderr.trim().split("\n").pop() ?? `exit ${sample.exitCode}`,
        );
        break;
      }
      if (record) samples.get(workload.key)?.push(sample);
    }
  }
}

const loadBefore = loadavg();
const startedAt = new Date();
process.stdout.write(`bench: ${reps} rounds of ${workloads.length} workloads, after a warm-up\n`);
await round(false);
for (let rep = 1; rep <= reps; rep++) {
  await round(true);
  const last = workloads.map(
    (w) => `${w.key} ${((samples.get(w.key)?.at(-1)?.ms ?? 0) / 1000).toFixed(2)}`,
  );
  process.stdout.write(
    `bench: round ${rep}/${reps} (s, load ${(loadavg()[0] ?? 0).toFixed(1)}): ${last.join(", ")}\n`,
  );
}
const loadAfter = loadavg();
rmSync(dir, { recursive: true, force: true });

// --- reporting ---------------------------------------------------------------------------
const ms = (key: string) => (samples.get(key) ?? []).map((sample) => sample.ms);
const kb = (key: string) => (samples.get(key) ?? []).flatMap((sample) => sample.kb ?? []);
const wall = (key: string) =>
  broken.has(key) ? `failed: ${broken.get(key)}` : formatMs(summarize(ms(key)));
const ratio = (a: string, b: string) => summarize(pairedRatios(ms(a), ms(b)));

function sh(command: string, ...args: string[]): string {
  try {
    return execFileSync(command, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "unknown";
  }
}

const osName = /PRETTY_NAME="([^"]+)"/.exec(sh("cat", "/etc/os-release"))?.[1] ?? "unknown";
const machine = [
  ["CPU", `${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores (nproc ${sh("nproc")})`],
  [
    "Memory",
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end)`,
  ],
  ["OS, kernel", `${osName}, Linux ${release()}`],
  [
    "podman",
    `${sh("podman", "version", "--format", "{{.Client.Version}}")}, runtime ${sh("podman", "info", "--format", "{{.Host.OCIRuntime.Name}}")}, ${sh("podman", "info", "--format", "{{.Store.GraphDriverName}}")} storage`,
  ],
  ["mallet", `${sh(bin, "--version")} (${relative(ROOT, bin)}), Bun ${process.versions.bun}`],
  [
    "Load average",
    `${loadBefore.map((n) => n.toFixed(1)).join(" ")} before, ${loadAfter.map((n) => n.toFixed(1)).join(" ")} after`,
  ],
  ["Rounds", `${reps} (one warm-up first); times are median (min–max)`],
];

const oneStep = summarize(ms("one"));
const tenRatio = ratio("ten", "shell");
const fanRatio = ratio("p8", "p1");
const results = [
  ["One-step TaskRun, end to end", wall("one"), "under 1 s (a warm Tekton cluster: 5–6 s)"],
  ["— the same from source (`bun src/cli/main.ts`)", wall("one-source"), ""],
  ["10-step TaskRun", wall("ten"), ""],
  ["— 10 × `podman run --rm` from a shell script", wall("shell"), ""],
  ["— the same in one pod (`--pod`), as Mallet's steps share one", wall("shell-pod"), ""],
  ["**Ratio 10-step Mallet / shell**", formatRatio(tenRatio), "≤ 1.05; < 1.0 if overlapping pays"],
  ["— ratio Mallet / shell in one pod", formatRatio(ratio("ten", "shell-pod")), ""],
  ["Pipeline of 1 one-step task", wall("p1"), ""],
  ["Pipeline of 8 independent one-step tasks (`--concurrency` 4, the default)", wall("p8"), ""],
  ["— the same with `--concurrency 8`", wall("p8-c8"), ""],
  ["**Ratio 8 tasks / 1 task**", formatRatio(fanRatio), ""],
  ["— with `--concurrency 8`", formatRatio(ratio("p8-c8", "p1")), ""],
  [
    "`mallet --version`: wall, peak memory",
    `${wall("version")}, ${formatKb(summarize(kb("version")))}`,
    "",
  ],
  [
    "`mallet validate` of one file: wall, peak memory",
    `${wall("validate")}, ${formatKb(summarize(kb("validate")))}`,
    "",
  ],
  ["Binary size", `${(statSync(bin).size / 2 ** 20).toFixed(1)} MiB`, ""],
  ...(compare
    ? [
        [`Compared binary (${sh(compare, "--version")}): one-step`, wall("cmp-one"), ""],
        ["— 10-step", wall("cmp-ten"), ""],
        ["— 8 tasks", wall("cmp-p8"), ""],
        ["— ratio this / compared, one-step", formatRatio(ratio("one", "cmp-one")), ""],
        ["— ratio this / compared, 10-step", formatRatio(ratio("ten", "cmp-ten")), ""],
        ["— ratio this / compared, 8 tasks", formatRatio(ratio("p8", "cmp-p8")), ""],
      ]
    : []),
];

const report = `# Benchmarks

Written by \`npx bun scripts/bench.ts --reps ${reps}\` on ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
Rerun it to refresh this file; see the end for what each workload is.

## Machine

${markdownTable(["", "this run"], machine)}

## Results

${markdownTable(["Workload", "Measured", "Target"], results)}

## Method

- Every workload is a fresh process, as a user runs it: wall time from spawn to exit, output
  discarded. Images are local (\`${IMAGE}\`), so nothing is pulled.
- Each step is \`echo step N\` in ${IMAGE}. Mallet runs it as Tekton does: a script file, the
  TaskRun's bind mounts, all containers of the TaskRun in one pod, everything removed at the end.
- The shell baseline, the ratio's headline, is ten \`podman run --rm\` calls: the plainest way
  to run the same ten containers. Each sets up and tears down its own network, which Mallet
  does once per pod; none has bind mounts, script files or a clean-up sweep. The second
  baseline runs the ten in one pod (\`podman pod create\`, \`run --rm --pod\`, \`pod rm\`), as
  Mallet does because steps share localhost on a cluster: about the best a podman CLI client
  can do, one process per step.
- Ratios are taken within a round (both sides measured seconds apart), then summarised.
- Peak memory is GNU time's maximum resident set size.${
  compare
    ? `\n- The compared binary (\`--compare\`) ran the same Mallet workloads in the same rounds, so
  the ratios "this / compared" are a before/after of whatever differs between the two builds.`
    : ""
}
- The 5–6 s of a warm Tekton cluster is the issue's figure for the same TaskRun, not measured
  here: this machine has no cluster.
- The pipelines' ratio is bounded by the cores: every TaskRun is its own pod (a network
  namespace set up and torn down) and a handful of podman, conmon and runc processes, so with
  two cores eight TaskRuns cannot take the time of one, whatever \`--concurrency\` allows.
- The machine is shared with other work: the load average above says how busy it was. Medians
  are robust to a few disturbed rounds; the ranges show how disturbed they were.
`;

if (!values["no-write"]) writeFileSync(join(ROOT, "docs/benchmarks.md"), report);
process.stdout.write(`\n${markdownTable(["Workload", "Measured", "Target"], results)}\n`);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
process.stdout.write(
  `\none-step under 1 s: ${verdict(oneStep.median < 1000)}; 10-step ratio ≤ 1.05: ${verdict(tenRatio.median <= 1.05)}\n`,
);

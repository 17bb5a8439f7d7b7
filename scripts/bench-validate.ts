#!/usr/bin/env bun
/**
 * Times `mallet validate` against `@ibm/tekton-lint` on the same files, in one run.
 *
 *   npx bun scripts/bench-validate.ts [FILE|DIR]...      (default: ../shared/tekton-examples)
 *   MALLET_BIN=dist/mallet npx bun scripts/bench-validate.ts   (time a compiled binary)
 *   MALLET_CMD="bin/mallet-validate" npx bun ...               (any command taking the files)
 *
 * Prints the median wall time of a single-file check and of one run over all the files, for
 * both tools, and the throughput ratio. tekton-lint comes through npx, which downloads it
 * once into its cache; nothing is added to package.json. If it cannot be had, Mallet is still
 * timed. Wall times include process start: that is what a pre-commit hook pays.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { extname, join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const TEKTON_LINT = "@ibm/tekton-lint@1.1.0";
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SINGLE_TARGET_MS = 50;
const RATIO_TARGET = 10;

function yamlFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => {
        const child = join(path, entry.name);
        if (entry.isDirectory()) return yamlFiles([child]);
        return [".yaml", ".yml"].includes(extname(entry.name)) ? [child] : [];
      });
  });
}

/** The command that runs `mallet validate`: a compiled binary if given, else the source. */
function malletCommand(): string[] {
  const command = process.env.MALLET_CMD;
  if (command) return command.split(" ").filter(Boolean);
  const bin = process.env.MALLET_BIN;
  if (bin) return [bin, "validate"];
  return [process.execPath, join(ROOT, "src/cli/main.ts"), "validate"];
}

/** The installed tekton-lint script, fetched by npx into its cache on first use. */
function tektonLintCommand(): string[] | string {
  const found = Bun.spawnSync(["npx", "--yes", "-p", TEKTON_LINT, "-c", "command -v tekton-lint"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const path = found.stdout.toString().trim();
  if (found.exitCode !== 0 || !path) {
    return `npx could not provide ${TEKTON_LINT}: ${found.stderr.toString().trim().split("\n").at(-1)}`;
  }
  return [path];
}

interface Timing {
  /** Median wall milliseconds, process start included: what a hook makes you wait. */
  wall: number;
  /** Median CPU milliseconds (user + system): steadier than wall on a busy machine. */
  cpu: number;
}

/** Medians of `runs` runs, after one warm-up run. */
function time(argv: readonly string[], runs = RUNS): Timing {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const result = Bun.spawnSync([...argv], { stdout: "ignore", stderr: "ignore", cwd: ROOT });
    if (i === 0) continue;
    walls.push(performance.now() - start);
    cpus.push(Number(result.resourceUsage?.cpuTime.total ?? 0n) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function main(): void {
  const args = process.argv.slice(2);
  const files = yamlFiles(args.length > 0 ? args : [join(ROOT, "../shared/tekton-examples")]);
  if (files.length === 0) throw new Error("no YAML files to time");
  const single =
    files.find((file) => /kind:\s*(Pipeline|Task)\b/.test(readFileSync(file, "utf8"))) ??
    (files[0] as string);
  const mallet = malletCommand();
  console.log(`mallet:      ${mallet.join(" ")}`);
  const lint = tektonLintCommand();
  console.log(`tekton-lint: ${typeof lint === "string" ? lint : lint.join(" ")}`);
  console.log(`files:       ${files.length} (single: ${single}), median of ${RUNS} runs\n`);

  const check = Bun.spawnSync([...mallet, single], { stdout: "ignore", stderr: "pipe", cwd: ROOT });
  if (check.exitCode !== 0 && check.exitCode !== 1) {
    throw new Error(
      `mallet did not run (exit ${check.exitCode}): ${check.stderr.toString().trim()}`,
    );
  }
  const malletOne = time([...mallet, single]);
  const malletAll = time([...mallet, ...files]);
  row("mallet validate", malletOne, malletAll, files.length);
  if (typeof lint === "string") return;
  const lintOne = time([...lint, single]);
  const lintAll = time([...lint, ...files]);
  row("tekton-lint", lintOne, lintAll, files.length);

  const ratio = lintAll.wall / malletAll.wall;
  const cpuRatio = lintAll.cpu / malletAll.cpu;
  console.log(
    `\nthroughput ratio on ${files.length} files (tekton-lint / mallet): wall ${ratio.toFixed(1)}x, cpu ${cpuRatio.toFixed(1)}x`,
  );
  const fastEnough = malletOne.wall < SINGLE_TARGET_MS ? "yes" : "no";
  const enough = ratio >= RATIO_TARGET ? "yes" : "no";
  console.log(
    `targets: single file under ${SINGLE_TARGET_MS} ms wall: ${fastEnough}; throughput at least ${RATIO_TARGET}x: ${enough}`,
  );
  console.log(
    `load average now: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")} (on ${availableParallelism()} CPUs)`,
  );
}

function row(name: string, one: Timing, all: Timing, count: number): void {
  const rate = (count / all.wall) * 1000;
  const cells = [
    `single file ${one.wall.toFixed(0).padStart(5)} ms (cpu ${one.cpu.toFixed(0).padStart(4)})`,
    `all files ${all.wall.toFixed(0).padStart(6)} ms (cpu ${all.cpu.toFixed(0).padStart(5)})`,
    `${rate.toFixed(0).padStart(5)} files/s`,
  ];
  console.log(`${name.padEnd(16)} ${cells.join("   ")}`);
}

if (!existsSync(join(ROOT, "src/cli"))) throw new Error("run from the repository");
main();

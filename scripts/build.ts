// Compiles mallet into one executable with `bun build --compile`.
//   bun scripts/build.ts                      host build: dist/mallet
//   bun scripts/build.ts --target linux-arm64 dist/mallet-linux-arm64 (repeatable; any Bun target)
//   bun scripts/build.ts --all                dist/mallet and the four release targets
// Release files (dist/mallet-<os>-<arch>) are listed in dist/SHA256SUMS. A target that fails
// to build is reported with Bun's reason and makes the script exit 1; the others still build.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildArgs, checksumLine, RELEASE_TARGETS, resolveTarget } from "./build-args.ts";

const ROOT = resolve(import.meta.dirname, "..");
const DIST = join(ROOT, "dist");
const ENTRY = join(ROOT, "src/cli/main.ts");

interface Job {
  outfile: string;
  target?: string;
}

function plannedJobs(targets: string[], all: boolean): Job[] {
  const jobs: Job[] = [];
  if (all || targets.length === 0) jobs.push({ outfile: join(DIST, "mallet") });
  const names = all ? [...Object.keys(RELEASE_TARGETS), ...targets] : targets;
  for (const name of new Set(names)) {
    const { bunTarget, suffix } = resolveTarget(name);
    jobs.push({ outfile: join(DIST, `mallet-${suffix}`), target: bunTarget });
  }
  return jobs;
}

// The commit, marked `-dirty` when tracked files differ from it, so a local build says so.
function gitCommit(): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  try {
    const commit = git("rev-parse", "--short", "HEAD").trim();
    return git("status", "--porcelain", "--untracked-files=no").trim() ? `${commit}-dirty` : commit;
  } catch {
    return "";
  }
}

function runBuild(argv: string[]): Promise<{ exitCode: number; output: string }> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => done({ exitCode: 1, output: error.message }));
    child.on("close", (code) =>
      done({ exitCode: code ?? 1, output: Buffer.concat(chunks).toString() }),
    );
  });
}

async function build(job: Job, version: string, commit: string): Promise<boolean> {
  const name = relative(ROOT, job.outfile);
  rmSync(job.outfile, { force: true }); // a failed build must not leave an old file to release
  const argv = buildArgs({ bun: process.execPath, entry: ENTRY, version, commit, ...job });
  const started = performance.now();
  const { exitCode, output } = await runBuild(argv);
  if (exitCode === 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`built ${name} (${job.target ?? "host"}, ${seconds}s)`);
    return true;
  }
  const reason = output.trim().split("\n").slice(-5).join("\n  ");
  console.error(
    `FAILED ${name} (${job.target ?? "host"}): bun build exited ${exitCode}:\n  ${reason}`,
  );
  if (job.target)
    console.error("  (cross-compiling downloads Bun for the target from the npm registry)");
  return false;
}

function writeChecksums(): void {
  const files = readdirSync(DIST)
    .filter((file) => file.startsWith("mallet-"))
    .sort();
  if (files.length === 0) return;
  const lines = files.map((file) => {
    const hash = createHash("sha256")
      .update(readFileSync(join(DIST, file)))
      .digest("hex");
    return checksumLine(hash, file);
  });
  writeFileSync(join(DIST, "SHA256SUMS"), `${lines.join("\n")}\n`);
  console.log(`wrote dist/SHA256SUMS (${files.length} files)`);
}

const { values } = parseArgs({
  options: { target: { type: "string", multiple: true, default: [] }, all: { type: "boolean" } },
});
const jobs = plannedJobs(values.target ?? [], values.all ?? false);
const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version as string;
const commit = gitCommit();
mkdirSync(DIST, { recursive: true });
let failed = 0;
for (const job of jobs) if (!(await build(job, version, commit))) failed++;
if (jobs.some((job) => job.target)) writeChecksums();
console.log(
  `mallet ${version} (${commit || "no commit"}): ${jobs.length - failed} built, ${failed} failed`,
);
process.exitCode = failed > 0 ? 1 : 0;

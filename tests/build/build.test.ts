import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildArgs, checksumLine, resolveTarget } from "../../scripts/build-args.ts";
import { ROOT } from "../helpers/mallet.ts";

const request = { bun: "bun", entry: "src/cli/main.ts", version: "0.1.0", commit: "abc1234" };
const common = [
  "bun",
  "build",
  "--compile",
  "--minify",
  "--bytecode",
  "--format=esm",
  "--no-compile-autoload-dotenv",
  "--no-compile-autoload-bunfig",
];
const defines = [
  "--define",
  'MALLET_BUILD_VERSION="0.1.0"',
  "--define",
  'MALLET_BUILD_COMMIT="abc1234"',
];

test.each([
  ["host", { outfile: "dist/mallet" }, [...common, ...defines, "--outfile=dist/mallet"]],
  [
    "cross",
    { outfile: "dist/mallet-darwin-arm64", target: "bun-darwin-arm64" },
    [...common, "--target=bun-darwin-arm64", ...defines, "--outfile=dist/mallet-darwin-arm64"],
  ],
])("buildArgs: %s build", (_, job, expected) => {
  expect(buildArgs({ ...request, ...job })).toEqual([...expected, "src/cli/main.ts"]);
});

test.each([
  ["linux-x64", "bun-linux-x64", "linux-x64"],
  ["darwin-arm64", "bun-darwin-arm64", "darwin-arm64"],
  ["bun-linux-x64-baseline", "bun-linux-x64-baseline", "linux-x64-baseline"],
  ["linux-arm64-musl", "bun-linux-arm64-musl", "linux-arm64-musl"],
])("resolveTarget(%p) is Bun's %p, file suffix %p", (name, bunTarget, suffix) => {
  expect(resolveTarget(name)).toEqual({ bunTarget, suffix });
});

test("checksumLine is what sha256sum --check reads", () => {
  expect(checksumLine("ab".repeat(32), "mallet-linux-x64")).toBe(
    `${"ab".repeat(32)}  mallet-linux-x64`,
  );
});

test("a target Bun cannot build says why and exits 1, leaving the other files alone", () => {
  const host = join(ROOT, "dist/mallet");
  const before = existsSync(host) ? statSync(host).mtimeMs : undefined;
  const result = spawnSync(process.execPath, ["scripts/build.ts", "--target", "plan9-x64"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    "FAILED dist/mallet-plan9-x64 (bun-plan9-x64): bun build exited 1",
  );
  expect(result.stderr).toContain('Unsupported target "plan9"');
  expect(result.stdout).toContain("0 built, 1 failed");
  expect(existsSync(host) ? statSync(host).mtimeMs : undefined).toBe(before);
});

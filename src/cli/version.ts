import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import packageJson from "../../package.json" with { type: "json" };

// scripts/build.ts replaces these names with string literals (`bun build --define`); from
// source they are undeclared, and `typeof` of an undeclared name is "undefined", not an error.
declare const MALLET_BUILD_VERSION: string | undefined;
declare const MALLET_BUILD_COMMIT: string | undefined;

/** The release version; from source it is package.json's with `-dev`. */
export const VERSION: string =
  typeof MALLET_BUILD_VERSION === "string" ? MALLET_BUILD_VERSION : `${packageJson.version}-dev`;

/** The git commit the binary was built from, or (from source) the checkout's HEAD. */
export function buildCommit(): string | undefined {
  if (typeof MALLET_BUILD_COMMIT === "string") return MALLET_BUILD_COMMIT || undefined;
  try {
    const output = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return output.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** What `mallet --version` prints, e.g. `mallet 0.1.0 (abc1234)`. */
export function versionLine(): string {
  const commit = buildCommit();
  return commit ? `mallet ${VERSION} (${commit})` : `mallet ${VERSION}`;
}

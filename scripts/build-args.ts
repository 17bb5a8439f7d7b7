// Pure pieces of scripts/build.ts: which targets a release has, and the `bun build` argv for one.

/** The release targets: the file suffix (`mallet-<os>-<arch>`) and Bun's name for the target. */
export const RELEASE_TARGETS: Record<string, string> = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
};

export interface BuildRequest {
  /** The Bun that compiles. */
  bun: string;
  entry: string;
  outfile: string;
  /** A Bun target such as `bun-linux-arm64`; absent for the host. */
  target?: string;
  version: string;
  commit: string;
}

/**
 * The `bun build --compile` argv: minified with bytecode for a fast start, the version and commit
 * defined as constants, and no `.env` or `bunfig.toml` read from the user's directory at run time.
 */
export function buildArgs(request: BuildRequest): string[] {
  return [
    request.bun,
    "build",
    "--compile",
    "--minify",
    "--bytecode",
    "--format=esm",
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    ...(request.target ? [`--target=${request.target}`] : []),
    "--define",
    `MALLET_BUILD_VERSION=${JSON.stringify(request.version)}`,
    "--define",
    `MALLET_BUILD_COMMIT=${JSON.stringify(request.commit)}`,
    `--outfile=${request.outfile}`,
    request.entry,
  ];
}

/**
 * Resolves `--target`: a release name (`linux-arm64`) or any Bun target (`bun-linux-x64-baseline`),
 * to Bun's target and the file suffix.
 */
export function resolveTarget(name: string): { bunTarget: string; suffix: string } {
  const bunTarget = RELEASE_TARGETS[name] ?? (name.startsWith("bun-") ? name : `bun-${name}`);
  return { bunTarget, suffix: bunTarget.replace(/^bun-/, "") };
}

/** One line of SHA256SUMS, in the format `sha256sum --check` reads. */
export function checksumLine(sha256: string, file: string): string {
  return `${sha256}  ${file}`;
}

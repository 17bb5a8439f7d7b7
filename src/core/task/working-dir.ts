// Directories every Linux image has; a missing workingDir is created below the deepest of them.
const STANDARD_DIRS = [
  "/",
  "/usr",
  "/usr/local",
  "/usr/share",
  "/usr/lib",
  "/var",
  "/var/lib",
  "/opt",
  "/home",
  "/root",
  "/tmp",
  "/srv",
  "/mnt",
  "/etc",
];

/**
 * Splits a workingDir into a directory that surely exists in the image and the part below it
 * that may not; undefined when the workingDir is itself such a directory.
 */
export function splitWorkingDir(workingDir: string): { base: string; missing: string } | undefined {
  const path = `/${workingDir.split("/").filter(Boolean).join("/")}`;
  if (STANDARD_DIRS.includes(path)) return undefined;
  const base =
    STANDARD_DIRS.filter((dir) => dir === "/" || path.startsWith(`${dir}/`)).sort(
      (a, b) => b.length - a.length,
    )[0] ?? "/";
  return { base, missing: path.slice(base === "/" ? 1 : base.length + 1) };
}

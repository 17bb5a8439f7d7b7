import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Whether bind mounts need SELinux relabelling (`:z`): when the host enforces SELinux, or
 * `selinuxenabled` says it is on. Elsewhere relabelling is skipped, as it would fail or be
 * pointless.
 */
export function selinuxEnforced(enforceFile = "/sys/fs/selinux/enforce"): boolean {
  try {
    if (readFileSync(enforceFile, "utf8").trim() === "1") return true;
  } catch {}
  try {
    return spawnSync("selinuxenabled", { stdio: "ignore" }).status === 0;
  } catch {
    return false;
  }
}

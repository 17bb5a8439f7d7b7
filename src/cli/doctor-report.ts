/** One line of `mallet doctor`: what was checked and how it went. */
export interface Check {
  name: string;
  /** `skipped`: could not be checked, which is not a failure (no image to probe with). */
  state: "ok" | "failed" | "skipped";
  summary: string;
  /** What the engine said, for a failure. */
  detail?: string;
  /** How to fix a known failure. */
  hint?: string;
}

interface KnownFailure {
  pattern: RegExp;
  hint: string;
}

// Failures seen on real hosts, most specific first; the first pattern that matches wins.
const KNOWN_FAILURES: KnownFailure[] = [
  {
    pattern: /error setting rlimit/i,
    hint:
      "the runtime cannot raise resource limits this high here; lower the defaults: podman: " +
      'add default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"] under [containers] in ' +
      "/etc/containers/containers.conf (~/.config/containers/containers.conf when rootless); " +
      'docker: "default-ulimits" in /etc/docker/daemon.json',
  },
  {
    pattern: /crun|cgroup/i,
    hint:
      'the OCI runtime cannot use cgroups here; use runc: runtime = "runc" under [engine] in ' +
      "/etc/containers/containers.conf (apt-get install runc)",
  },
  {
    pattern: /\/dev\/net\/tun/,
    hint:
      "rootless networking (slirp4netns) needs /dev/net/tun: sudo chmod 0666 /dev/net/tun " +
      "(the mode udev gives it on most systems)",
  },
  {
    pattern: /newuidmap|newgidmap|subuid|subgid|cannot find mappings/i,
    hint:
      "rootless podman needs subordinate ids: sudo usermod --add-subuids 100000-165535 " +
      "--add-subgids 100000-165535 $USER, then podman system migrate",
  },
  {
    pattern: /permission denied.*docker\.sock|docker\.sock.*permission denied/i,
    hint: "you may not use the Docker socket: add yourself to the docker group, or use podman",
  },
  {
    pattern:
      /Cannot connect to the Docker daemon|error during connect|Is the docker daemon running/i,
    hint:
      "docker cannot reach a daemon: start it (sudo systemctl start docker), or point " +
      "DOCKER_HOST at one, such as podman's: podman system service --time=0 " +
      "unix:///tmp/podman.sock & export DOCKER_HOST=unix:///tmp/podman.sock",
  },
  {
    pattern: /unable to connect to Podman|Cannot connect to Podman/i,
    hint:
      "podman cannot reach the service CONTAINER_HOST names: start it (podman system service) " +
      "or unset CONTAINER_HOST",
  },
  {
    pattern: /pause|infra/i,
    hint:
      "podman cannot make a pod's infra container, often because its pause image cannot be " +
      "pulled offline: set infra_image under [engine] in containers.conf to a local image " +
      "(scripts/setup.sh builds one)",
  },
];

/** The fix for a failure the engine described, when it is a known one. */
export function hintFor(text: string): string | undefined {
  return KNOWN_FAILURES.find((known) => known.pattern.test(text))?.hint;
}

const MARK: Record<Check["state"], string> = { ok: "ok", failed: "FAILED", skipped: "skipped" };

/** The report as lines: one per check, the engine's words and a hint under a failure. */
export function formatDoctorReport(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${check.name.padEnd(width)}  ${MARK[check.state].padEnd(7)}  ${check.summary}`);
    const indent = " ".repeat(width + 11);
    if (check.detail) lines.push(...check.detail.split("\n").map((line) => `${indent}${line}`));
    if (check.hint) lines.push(`${indent}hint: ${check.hint}`);
  }
  const failed = checks.filter((check) => check.state === "failed").length;
  lines.push(failed === 0 ? "all is well" : `${failed} problem${failed === 1 ? "" : "s"} found`);
  return `${lines.join("\n")}\n`;
}

/** 0 when nothing failed, else 1. */
export function doctorExitCode(checks: readonly Check[]): number {
  return checks.some((check) => check.state === "failed") ? 1 : 0;
}

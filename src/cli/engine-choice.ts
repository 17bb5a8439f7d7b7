import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type CliEngine, PodmanEngine } from "../backend/cli-engine.ts";
import { DockerEngine } from "../backend/docker-engine.ts";
import { selinuxEnforced } from "../backend/selinux.ts";
import { MalletError } from "../core/errors.ts";

export type EngineName = "podman" | "docker";

/** Finds an executable on PATH, as a shell would. */
export function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const path = join(dir, binary);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return undefined;
}

/** What to tell a user who has neither engine. */
export const INSTALL_HINT =
  "install podman (Debian/Ubuntu: sudo apt-get install podman; Fedora: sudo dnf install podman) " +
  "or Docker (https://docs.docker.com/engine/install/)";

/**
 * The engine to use: the flag, then MALLET_ENGINE, then podman if installed, else docker;
 * undefined when none is wanted and none is installed.
 */
export function pickEngineName(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  installed: (binary: string) => boolean = (binary) => which(binary) !== undefined,
): EngineName | undefined {
  const wanted = flag || env.MALLET_ENGINE || undefined;
  if (wanted !== undefined && wanted !== "podman" && wanted !== "docker") {
    const from = flag ? "--engine" : "MALLET_ENGINE";
    throw new MalletError("USAGE", `${from} must be podman or docker, not "${wanted}"`);
  }
  if (wanted) return wanted;
  if (installed("podman")) return "podman";
  if (installed("docker")) return "docker";
  return undefined;
}

/** Why no engine can be used, as one message. */
export function missingEngineMessage(name: EngineName | undefined): string {
  if (!name) return `neither podman nor docker was found on PATH; ${INSTALL_HINT}`;
  const other = name === "podman" ? "docker" : "podman";
  return `${name} was not found on PATH; install it, or use --engine ${other} if you have that`;
}

/**
 * Builds the chosen engine. Engines are reached only through their CLIs, so CONTAINER_HOST,
 * DOCKER_HOST and docker contexts apply as the user has set them.
 */
export function chooseEngine(
  flag: string | undefined,
  trace?: (argv: readonly string[]) => void,
): CliEngine {
  const name = pickEngineName(flag);
  if (!name || !which(name)) throw new MalletError("ENGINE", missingEngineMessage(name));
  const options = { binary: name, relabel: selinuxEnforced(), ...(trace ? { trace } : {}) };
  return name === "docker" ? new DockerEngine(options) : new PodmanEngine(options);
}

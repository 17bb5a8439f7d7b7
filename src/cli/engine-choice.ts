import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { Engine } from "../backend/engine.ts";
import { PodmanEngine } from "../backend/cli-engine.ts";
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

/** Picks the engine: the flag, then MALLET_ENGINE, then podman if installed, else docker. */
export function chooseEngine(
  flag: string | undefined,
  trace?: (argv: readonly string[]) => void,
): Engine {
  const wanted = flag ?? process.env.MALLET_ENGINE;
  if (wanted && wanted !== "podman" && wanted !== "docker") {
    throw new MalletError("USAGE", `--engine must be podman or docker, not "${wanted}"`);
  }
  const name =
    (wanted as EngineName | undefined) ??
    (which("podman") ? "podman" : which("docker") ? "docker" : undefined);
  if (!name || !which(name)) {
    const missing = name ?? "podman or docker";
    throw new MalletError(
      "ENGINE",
      `${missing} was not found on PATH; install podman (apt-get install podman) or docker`,
    );
  }
  if (name === "docker") {
    throw new MalletError("ENGINE", "the docker engine is not supported yet; use --engine podman");
  }
  return new PodmanEngine({ binary: name, ...(trace ? { trace } : {}) });
}

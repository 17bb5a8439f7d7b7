import { randomBytes } from "node:crypto";
import { defineCommand } from "citty";
import type { CliEngine } from "../backend/cli-engine.ts";
import { EngineError, type EngineFacts } from "../backend/engine.ts";
import { selinuxEnforced } from "../backend/selinux.ts";
import { type Check, doctorExitCode, formatDoctorReport, hintFor } from "./doctor-report.ts";
import { chooseEngine, missingEngineMessage, pickEngineName, which } from "./engine-choice.ts";

export const doctorCommand = defineCommand({
  meta: {
    name: "doctor",
    description:
      "Check the container engine: which one and its version, rootless or not, and whether " +
      "a TaskRun's containers can start; known failures come with a fix. Exits 1 on a problem.",
  },
  args: {
    engine: {
      type: "string",
      description:
        "podman or docker (default: $MALLET_ENGINE, else podman if installed, else docker)",
    },
  },
  async run({ args }) {
    const checks = await diagnose(args.engine);
    process.stdout.write(formatDoctorReport(checks));
    process.exitCode = doctorExitCode(checks);
  },
});

/** Probes the engine the way a run would use it, and says what it found. */
export async function diagnose(flag: string | undefined): Promise<Check[]> {
  const name = pickEngineName(flag);
  const path = name ? which(name) : undefined;
  if (!name || !path) {
    const message = missingEngineMessage(name);
    return [{ name: "engine", state: "failed", summary: message }];
  }
  const engine = chooseEngine(name);
  const checks = [await engineCheck(engine, path)];
  if (checks[0]?.state === "ok") checks.push(await containerCheck(engine));
  checks.push(selinuxCheck());
  return checks;
}

async function engineCheck(engine: CliEngine, path: string): Promise<Check> {
  try {
    const facts = await engine.facts();
    const mode = facts.rootless ? "rootless" : "rootful";
    return {
      name: "engine",
      state: "ok",
      summary: `${describeEngine(engine.name, facts)}, ${mode}, at ${path}`,
    };
  } catch (error) {
    return failed("engine", `${engine.name} at ${path} does not answer`, error);
  }
}

/** `podman 4.3.1`, or for docker its client and the server it talks to. */
export function describeEngine(name: string, facts: EngineFacts): string {
  if (!facts.clientVersion) return `${name} ${facts.version}`;
  // Docker's own daemon calls itself just "Engine"; podman's API says "Podman Engine".
  const server = !facts.server || facts.server === "Engine" ? "Docker Engine" : facts.server;
  return `${name} ${facts.clientVersion}, server ${server} ${facts.version}`;
}

// The probe is what a TaskRun does: a pod, and a container in it (the helper `exit0`).
async function containerCheck(engine: CliEngine): Promise<Check> {
  const image = pickProbeImage(await engine.listImages().catch(() => []));
  if (!image) {
    const summary = `not probed: no image is present (${engine.name} pull busybox, then try again)`;
    return { name: "containers", state: "skipped", summary };
  }
  const id = randomBytes(4).toString("hex");
  const pod = `mallet-doctor-${id}`;
  const labels = { "mallet.doctor": id };
  try {
    await engine.createPod({ name: pod, hostname: "doctor", labels, image });
    const probe = await engine.probe(image, pod);
    if (probe.exitCode !== 0) {
      return failed("containers", `a container cannot start (probed with ${image})`, probe.stderr);
    }
    return { name: "containers", state: "ok", summary: `a container starts in a pod (${image})` };
  } catch (error) {
    return failed("containers", `a pod cannot be made (probed with ${image})`, error);
  } finally {
    await engine.removePod(pod);
    await engine.removeLabelled("mallet.doctor", id);
  }
}

/** A small image when one is present (any image runs the probe), else the first. */
export function pickProbeImage(images: readonly string[]): string | undefined {
  return images.find((image) => /busybox|alpine/.test(image)) ?? images[0];
}

function selinuxCheck(): Check {
  const enforced = selinuxEnforced();
  const summary = enforced
    ? "enforced: bind mounts are relabelled (:z)"
    : "not enforced: bind mounts are not relabelled";
  return { name: "selinux", state: "ok", summary };
}

function failed(name: string, summary: string, error: unknown): Check {
  const text =
    error instanceof EngineError
      ? error.stderr || error.message
      : typeof error === "string"
        ? error
        : String((error as Error).message ?? error);
  const detail = text.trim().split("\n").filter(Boolean).slice(-3).join("\n");
  const hint = hintFor(text);
  return {
    name,
    state: "failed",
    summary,
    ...(detail ? { detail } : {}),
    ...(hint ? { hint } : {}),
  };
}

import { join } from "node:path";
import type { ImageConfig } from "../core/task/entrypoint.ts";
import type {
  ChownRequest,
  ContainerSpec,
  Engine,
  EngineFacts,
  OutputListener,
  PodSpec,
} from "./engine.ts";
import { EngineError } from "./engine.ts";
import { helperPath, helperTarget } from "./helper-binaries.ts";
import { podmanArgs, sharedArgs } from "./podman-args.ts";
import { run, type SpawnResult } from "./spawn.ts";

export interface CliEngineOptions {
  /** The executable: `podman` or `docker`, or a path to one. */
  binary: string;
  trace?: (argv: readonly string[]) => void;
  /** Relabel bind mounts for SELinux (`:z`), for hosts that enforce it. */
  relabel?: boolean;
}

/** The builders every CLI engine needs; podman and docker differ in these few. */
type CommonArgs = typeof sharedArgs & {
  imageExists: (image: string) => string[];
  stop: (name: string) => string[];
  removeContainer: (name: string) => string[];
  removeContainers: (names: readonly string[]) => string[];
};

/** How a probe container ended: its exit code and what the engine said. */
export interface ProbeResult {
  exitCode: number;
  stderr: string;
}

// Paths per `chown` call, to stay far below the kernel's limit on an argv's size.
const CHOWN_BATCH = 500;

/** What podman and docker do alike: every call builds an argv and spawns the CLI. */
export abstract class CliEngine implements Engine {
  abstract readonly name: "podman" | "docker";
  protected abstract readonly args: CommonArgs;
  private factsOnce: Promise<EngineFacts> | undefined;

  constructor(protected readonly options: CliEngineOptions) {}

  abstract createPod(spec: PodSpec): Promise<void>;
  abstract removePod(name: string): Promise<void>;
  abstract createContainer(spec: ContainerSpec): Promise<void>;
  protected abstract readFacts(): Promise<EngineFacts>;
  /** Removes the pods carrying a label (podman) and says how many there were. */
  protected abstract removeLabelledPods(filter: string): Promise<number>;
  /** Flags that put a container into a pod made by `createPod`. */
  protected abstract joinPod(pod: string): string[];

  protected spawn(
    args: string[],
    onOutput?: OutputListener,
    signal?: AbortSignal,
  ): Promise<SpawnResult> {
    const trace = this.options.trace;
    return run([this.options.binary, ...args], {
      ...(onOutput ? { onOutput } : {}),
      ...(trace ? { trace } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  protected async check(args: string[], what: string): Promise<SpawnResult> {
    const result = await this.spawn(args);
    if (result.exitCode !== 0) {
      const reason = lastLines(result.stderr || result.stdout);
      throw new EngineError(`${what} failed: ${reason}`, result.stderr);
    }
    return result;
  }

  async imageExists(image: string): Promise<boolean> {
    return (await this.spawn(this.args.imageExists(image))).exitCode === 0;
  }

  // The error is the engine's own reason; the caller names the image.
  async pullImage(image: string, signal?: AbortSignal): Promise<void> {
    const result = await this.spawn(this.args.pull(image), undefined, signal);
    if (result.exitCode === 0) return;
    throw new EngineError(lastLines(result.stderr || result.stdout), result.stderr);
  }

  async inspectImage(image: string): Promise<ImageConfig> {
    const result = await this.check(this.args.inspectImage(image), `inspecting ${image}`);
    return parseImageConfig(result.stdout);
  }

  async runAttached(name: string, onOutput: OutputListener): Promise<number> {
    return (await this.spawn(this.args.startAttached(name), onOutput)).exitCode;
  }

  async startDetached(name: string): Promise<void> {
    await this.check(this.args.startDetached(name), `starting ${name}`);
  }

  async copyInto(name: string, source: string, dir: string): Promise<void> {
    await this.check(this.args.copyInto(source, name, dir), `copying into ${name}:${dir}`);
  }

  async exec(name: string, argv: string[]): Promise<number> {
    return (await this.spawn(this.args.exec(name, argv))).exitCode;
  }

  async stopContainer(name: string): Promise<void> {
    await this.spawn(this.args.stop(name));
  }

  async removeContainer(name: string): Promise<void> {
    await this.spawn(this.args.removeContainer(name));
  }

  async removeLabelled(label: string, value?: string): Promise<number> {
    const filter = value === undefined ? label : `${label}=${value}`;
    // Usually each TaskRun has removed its own: the three lists are asked for at once.
    const listContainers = () => this.spawn(this.args.listContainers(filter)).then(ids);
    const listed = Promise.all([listContainers(), this.spawn(this.args.listVolumes(filter))]);
    const pods = await this.removeLabelledPods(filter);
    const [early, volumeList] = await listed;
    const containers = pods > 0 ? await listContainers() : early; // the pods took theirs
    if (containers.length > 0) await this.removeContainers(containers);
    const volumes = ids(volumeList);
    if (volumes.length > 0) await this.spawn(this.args.removeVolumes(volumes));
    return pods + containers.length + volumes.length;
  }

  // A docker network holder cannot go while containers still use its namespace, and one
  // `rm` call removes the others regardless: a second round takes the holders.
  protected async removeContainers(names: readonly string[]): Promise<void> {
    if ((await this.spawn(this.args.removeContainers(names))).exitCode === 0) return;
    await this.spawn(this.args.removeContainers(names));
  }

  facts(): Promise<EngineFacts> {
    this.factsOnce ??= this.readFacts();
    return this.factsOnce;
  }

  async chown(request: ChownRequest): Promise<void> {
    const { rootless } = await this.facts();
    // In a rootless engine's user namespace, container root is the calling user.
    const owner = rootless ? "0:0" : `${request.uid}:${request.gid}`;
    for (const batch of batches(request.paths)) {
      await this.check(
        this.args.chownInContainer(request.image, request.root, owner, batch),
        `giving files in ${request.root} to ${request.uid}:${request.gid}`,
      );
    }
  }

  /** The images present, as `repository:tag`, for the doctor's probe. */
  async listImages(): Promise<string[]> {
    const result = await this.check(this.args.listImages(), "listing images");
    return ids(result).filter((image) => !image.includes("<none>"));
  }

  /**
   * Starts a container that exits at once in the pod `pod` (made by `createPod`), to learn
   * whether a TaskRun's containers can start at all.
   */
  async probe(image: string, pod: string): Promise<ProbeResult> {
    const program = helperPath("exit0");
    const args = this.args.probe(image, program, helperTarget("exit0"), this.joinPod(pod));
    const result = await this.spawn(args);
    return { exitCode: result.exitCode, stderr: result.stderr };
  }
}

/** The podman engine: a TaskRun is a pod. */
export class PodmanEngine extends CliEngine {
  readonly name = "podman" as const;
  protected readonly args = podmanArgs;

  // The pod is not started here (`podman pod start`): that starts every container already
  // created in it, so a step would run detached, and `start --attach` then returns 0 while
  // it runs, or runs it a second time once it has exited.
  async createPod(spec: PodSpec): Promise<void> {
    const args = podmanArgs.createPod(spec.name, spec.hostname, spec.labels);
    await this.check(args, `creating pod ${spec.name}`);
  }

  async removePod(name: string): Promise<void> {
    await this.spawn(podmanArgs.removePod(name));
  }

  async createContainer(spec: ContainerSpec): Promise<void> {
    const args = podmanArgs.createContainer(spec, this.options.relabel ?? false);
    await this.check(args, `creating container ${spec.name}`);
  }

  protected joinPod(pod: string): string[] {
    return ["--pod", pod];
  }

  protected async removeLabelledPods(filter: string): Promise<number> {
    const pods = ids(await this.spawn(podmanArgs.listPods(filter)));
    if (pods.length > 0) await this.spawn(podmanArgs.removePods(pods));
    return pods.length;
  }

  protected async readFacts(): Promise<EngineFacts> {
    const result = await this.check(podmanArgs.info(), "podman info");
    const info = parseJson(result.stdout);
    const version = String(field(info, "version", "Version") ?? "unknown");
    return {
      version,
      clientVersion: undefined,
      rootless: field(info, "host", "security", "rootless") === true,
      server: undefined,
    };
  }

  // Rootless podman needs no image to change owners: `podman unshare` runs the host's chown
  // in its user namespace, where the calling user is root.
  override async chown(request: ChownRequest): Promise<void> {
    if (!(await this.facts()).rootless) return super.chown(request);
    for (const batch of batches(request.paths)) {
      const paths = batch.map((path) => join(request.root, path));
      await this.check(podmanArgs.unshareChown(paths), `giving files in ${request.root} to you`);
    }
  }
}

// Paths in groups small enough for one `chown` command line.
function batches(paths: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (let at = 0; at < paths.length; at += CHOWN_BATCH)
    groups.push(paths.slice(at, at + CHOWN_BATCH));
  return groups;
}

/** Lines of a command's output, one id or name each. */
export function ids(result: SpawnResult): string[] {
  return result.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim() || "null");
  } catch {
    return null;
  }
}

/** A nested field of parsed JSON, or undefined when any step of the path is missing. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Parses `{{json .Config}}` of an image into the fields the entrypoint rule needs. */
export function parseImageConfig(json: string): ImageConfig {
  const config = (JSON.parse(json.trim() || "{}") ?? {}) as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    entrypoint: list(config.Entrypoint),
    cmd: list(config.Cmd),
    workingDir: typeof config.WorkingDir === "string" ? config.WorkingDir : "",
    user: typeof config.User === "string" ? config.User : "",
    env: list(config.Env),
  };
}

export function lastLines(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return lines.slice(-3).join(" | ") || "no output";
}

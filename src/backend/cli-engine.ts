import type { ImageConfig } from "../core/task/entrypoint.ts";
import type { ContainerSpec, Engine, OutputListener } from "./engine.ts";
import { EngineError } from "./engine.ts";
import { podmanArgs } from "./podman-args.ts";
import { run, type SpawnResult } from "./spawn.ts";

export interface CliEngineOptions {
  /** The executable: `podman` or `docker`, or a path to one. */
  binary: string;
  trace?: (argv: readonly string[]) => void;
}

/** The podman engine: every call builds an argv with `podmanArgs` and spawns it. */
export class PodmanEngine implements Engine {
  readonly name = "podman" as const;

  constructor(private readonly options: CliEngineOptions) {}

  protected exec_(args: string[], onOutput?: OutputListener): Promise<SpawnResult> {
    const trace = this.options.trace;
    return run([this.options.binary, ...args], {
      ...(onOutput ? { onOutput } : {}),
      ...(trace ? { trace } : {}),
    });
  }

  protected async check(args: string[], what: string): Promise<SpawnResult> {
    const result = await this.exec_(args);
    if (result.exitCode !== 0) {
      const reason = lastLines(result.stderr || result.stdout);
      throw new EngineError(`${what} failed: ${reason}`, result.stderr);
    }
    return result;
  }

  async imageExists(image: string): Promise<boolean> {
    return (await this.exec_(podmanArgs.imageExists(image))).exitCode === 0;
  }

  async pullImage(image: string): Promise<void> {
    await this.check(podmanArgs.pull(image), `pulling ${image}`);
  }

  async inspectImage(image: string): Promise<ImageConfig> {
    const result = await this.check(podmanArgs.inspectImage(image), `inspecting ${image}`);
    return parseImageConfig(result.stdout);
  }

  async createPod(name: string, hostname: string, labels: Record<string, string>): Promise<void> {
    await this.check(podmanArgs.createPod(name, hostname, labels), `creating pod ${name}`);
  }

  async removePod(name: string): Promise<void> {
    await this.exec_(podmanArgs.removePod(name));
  }

  async createContainer(spec: ContainerSpec): Promise<void> {
    await this.check(podmanArgs.createContainer(spec), `creating container ${spec.name}`);
  }

  async runAttached(name: string, onOutput: OutputListener): Promise<number> {
    return (await this.exec_(podmanArgs.startAttached(name), onOutput)).exitCode;
  }

  async startDetached(name: string): Promise<void> {
    await this.check(podmanArgs.startDetached(name), `starting ${name}`);
  }

  async copyInto(name: string, source: string, dir: string): Promise<void> {
    await this.check(podmanArgs.copyInto(source, name, dir), `copying into ${name}:${dir}`);
  }

  async exec(name: string, argv: string[]): Promise<number> {
    return (await this.exec_(podmanArgs.exec(name, argv))).exitCode;
  }

  async stopContainer(name: string): Promise<void> {
    await this.exec_(podmanArgs.stop(name));
  }

  async removeContainer(name: string): Promise<void> {
    await this.exec_(podmanArgs.removeContainer(name));
  }

  async removeLabelled(label: string, value?: string): Promise<number> {
    const filter = value === undefined ? label : `${label}=${value}`;
    const pods = ids(await this.exec_(podmanArgs.listPods(filter)));
    const containers = ids(await this.exec_(podmanArgs.listContainers(filter)));
    const volumes = ids(await this.exec_(podmanArgs.listVolumes(filter)));
    if (pods.length > 0) await this.exec_(["pod", "rm", "--force", "--time", "0", ...pods]);
    if (containers.length > 0) await this.exec_(["rm", "--force", "--time", "0", ...containers]);
    if (volumes.length > 0) await this.exec_(["volume", "rm", "--force", ...volumes]);
    return pods.length + containers.length + volumes.length;
  }
}

function ids(result: SpawnResult): string[] {
  return result.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
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

function lastLines(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return lines.slice(-3).join(" | ") || "no output";
}

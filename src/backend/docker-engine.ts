import { CliEngine, field, ids, parseJson } from "./cli-engine.ts";
import { dockerArgs } from "./docker-args.ts";
import type { ContainerSpec, EngineFacts, PodSpec } from "./engine.ts";
import { helperPath } from "./helper-binaries.ts";

/**
 * The docker engine. A TaskRun's "pod" is a network holder container running `pause` (a
 * static program bind-mounted into the first step's image, so nothing is pulled or built);
 * steps and sidecars join its network and IPC namespaces, so they share localhost.
 */
export class DockerEngine extends CliEngine {
  readonly name = "docker" as const;
  protected readonly args = dockerArgs;
  private readonly hostnames = new Map<string, string>();

  async createPod(spec: PodSpec): Promise<void> {
    const holder = dockerArgs.runNetworkHolder(spec, helperPath("pause"));
    await Promise.all([this.check(holder, `creating ${spec.name}`), this.facts()]);
    this.hostnames.set(spec.name, spec.hostname);
  }

  async removePod(name: string): Promise<void> {
    this.hostnames.delete(name);
    const members = ids(await this.spawn(dockerArgs.listPodMembers(name)));
    const others = members.filter((member) => member !== name);
    if (others.length > 0) await this.spawn(dockerArgs.removeContainers(others));
    await this.spawn(dockerArgs.removeContainers([name]));
  }

  async createContainer(spec: ContainerSpec): Promise<void> {
    const args = dockerArgs.createContainer(
      spec,
      this.options.relabel ?? false,
      await this.ownHostname(spec.pod),
    );
    await this.check(args, `creating container ${spec.name}`);
  }

  // Docker gives a container on another's network that one's hostname; podman's
  // Docker-compatible API does not, but accepts one.
  private async ownHostname(pod: string): Promise<string | undefined> {
    const { server } = await this.facts();
    return server?.startsWith("Podman") ? this.hostnames.get(pod) : undefined;
  }

  protected joinPod(pod: string): string[] {
    return ["--network", `container:${pod}`];
  }

  protected async removeLabelledPods(): Promise<number> {
    return 0;
  }

  protected async readFacts(): Promise<EngineFacts> {
    const [version, info] = await Promise.all([
      this.check(dockerArgs.version(), "docker version"),
      this.check(dockerArgs.info(), "docker info"),
    ]);
    const parsed = parseJson(version.stdout);
    const components = field(parsed, "Server", "Components");
    const first = Array.isArray(components) ? components[0] : undefined;
    const options = field(parseJson(info.stdout), "SecurityOptions");
    return {
      version: String(field(parsed, "Server", "Version") ?? "unknown"),
      clientVersion: String(field(parsed, "Client", "Version") ?? "unknown"),
      rootless:
        Array.isArray(options) && options.some((option) => String(option).includes("rootless")),
      server: typeof field(first, "Name") === "string" ? String(field(first, "Name")) : undefined,
    };
  }
}

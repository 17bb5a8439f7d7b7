import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type {
  ChownRequest,
  ContainerSpec,
  Engine,
  EngineFacts,
  OutputListener,
  PodSpec,
} from "../../src/backend/engine.ts";
import type { ImageConfig } from "../../src/core/task/entrypoint.ts";

/** What a scripted container does when it is started attached. */
export interface ContainerScript {
  /** The exit code it ends with; 0 unless told. */
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Task results, written to `/tekton/results/<name>` on the host before it exits. */
  results?: Record<string, string>;
  /** Any file to write, by its path inside the container, resolved through the bind mounts. */
  files?: Record<string, string>;
  /** How long it runs, in ms; `stopContainer` ends it early with exit code 137. */
  durationMs?: number;
}

/** One start of a container, as a behaviour sees it. */
export interface ContainerRun {
  spec: ContainerSpec;
  /** `<taskRun>/<container>`, such as `pr-build/step-compile`, whatever the attempt. */
  key: string;
  /** The TaskRun's retry attempt, read from the pod's name (`-r<N>`): 0 for the first. */
  attempt: number;
  /** How many containers this rule answered before this one. */
  count: number;
}

/**
 * A string matches a key exactly or its container part (`step-compile` matches every task's
 * step-compile); a RegExp is tested against the key; a function sees the whole run.
 */
export type Matcher = string | RegExp | ((run: ContainerRun) => boolean);
export type Behaviour = ContainerScript | ((run: ContainerRun) => ContainerScript);

/**
 * A recorded engine call. `target` leaves out `mallet-<run id>-`: a pod is `<taskRun>` (with
 * `-r<N>` on a retry), a container `<pod>/<container>`, such as `build/step-compile`.
 */
export interface EngineCall {
  method: keyof Engine;
  target: string;
  /** What else the call carried that a test may assert (argv, labels, image). */
  detail?: unknown;
}

interface Rule {
  matcher: Matcher;
  behaviour: Behaviour;
  count: number;
}

const RUN_PREFIX = /^mallet-[0-9a-f]{8}-/;
const EXIT_STOPPED = 137;

/**
 * A recording fake of the container engine for orchestrator tests: it records every call,
 * plays scripted containers (exit code, output, result files) and counts how many run at once.
 */
export class FakeEngine implements Engine {
  readonly name = "podman" as const;
  readonly calls: EngineCall[] = [];
  /** Containers created, by their full name. */
  readonly containers = new Map<string, ContainerSpec>();
  /** Pods created, by their full name. */
  readonly pods = new Map<string, PodSpec>();
  /** The most attached containers that were running at the same time. */
  maxRunning = 0;
  /** Images `imageExists` denies, so the runner pulls them. */
  readonly missingImages = new Set<string>();
  /** Image configurations `inspectImage` answers, by image; others get `sh` as their CMD. */
  readonly imageConfigs = new Map<string, ImageConfig>();
  private running = 0;
  private readonly rules: Rule[] = [];
  private readonly stoppers = new Map<string, () => void>();

  /** Scripts the containers a matcher selects; the first matching rule wins. */
  on(matcher: Matcher, behaviour: Behaviour): this {
    this.rules.push({ matcher, behaviour, count: 0 });
    return this;
  }

  /** The calls as `method target` lines, the run id left out, for order assertions. */
  trace(filter?: (call: EngineCall) => boolean): string[] {
    return this.calls.filter(filter ?? (() => true)).map((call) => `${call.method} ${call.target}`);
  }

  async imageExists(image: string): Promise<boolean> {
    this.record("imageExists", image);
    return !this.missingImages.has(image);
  }

  async pullImage(image: string): Promise<void> {
    this.record("pullImage", image);
    this.missingImages.delete(image);
  }

  async inspectImage(image: string): Promise<ImageConfig> {
    this.record("inspectImage", image);
    const fallback = { entrypoint: [], cmd: ["sh"], workingDir: "", user: "", env: [] };
    return this.imageConfigs.get(image) ?? fallback;
  }

  async createPod(spec: PodSpec): Promise<void> {
    this.record("createPod", short(spec.name), { hostname: spec.hostname, labels: spec.labels });
    this.pods.set(spec.name, spec);
  }

  async removePod(name: string): Promise<void> {
    this.record("removePod", short(name));
  }

  async createContainer(spec: ContainerSpec): Promise<void> {
    this.containers.set(spec.name, spec);
    this.record("createContainer", this.label(spec.name), {
      image: spec.image,
      argv: [spec.entrypoint, ...spec.args],
    });
  }

  async runAttached(name: string, onOutput: OutputListener): Promise<number> {
    this.record("runAttached", this.label(name));
    const spec = this.containers.get(name);
    if (!spec) return 125; // podman's answer for a container that does not exist
    const script = this.scriptFor(spec);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      writeFiles(spec, script);
      if (script.stdout) onOutput("stdout", Buffer.from(script.stdout));
      if (script.stderr) onOutput("stderr", Buffer.from(script.stderr));
      const stopped = await this.wait(name, script.durationMs ?? 0);
      return stopped ? EXIT_STOPPED : (script.exitCode ?? 0);
    } finally {
      this.running--;
    }
  }

  async startDetached(name: string): Promise<void> {
    this.record("startDetached", this.label(name));
  }

  async copyInto(name: string, source: string, dir: string): Promise<void> {
    this.record("copyInto", this.label(name), { source, dir });
  }

  async exec(name: string, argv: string[]): Promise<number> {
    this.record("exec", this.label(name), { argv });
    return 0;
  }

  async stopContainer(name: string): Promise<void> {
    this.record("stopContainer", this.label(name));
    this.stoppers.get(name)?.();
  }

  async removeContainer(name: string): Promise<void> {
    this.record("removeContainer", this.label(name));
  }

  async removeLabelled(label: string, value?: string): Promise<number> {
    this.record("removeLabelled", value === undefined ? label : `${label}=${value}`);
    return 0;
  }

  async facts(): Promise<EngineFacts> {
    return { version: "0.0.0-fake", clientVersion: undefined, rootless: true, server: undefined };
  }

  async chown(request: ChownRequest): Promise<void> {
    this.record("chown", request.root, { paths: request.paths, uid: request.uid });
  }

  // A container as `<pod>/<container>`, such as `pr-build-r1/step-compile`.
  private label(name: string): string {
    const spec = this.containers.get(name);
    return spec ? `${short(spec.pod)}/${spec.name.slice(spec.pod.length + 1)}` : short(name);
  }

  private record(method: keyof Engine, target: string, detail?: unknown): void {
    this.calls.push(detail === undefined ? { method, target } : { method, target, detail });
  }

  private scriptFor(spec: ContainerSpec): ContainerScript {
    const run = describeRun(spec);
    const rule = this.rules.find((item) => matches(item.matcher, { ...run, count: item.count }));
    if (!rule) return {};
    const script =
      typeof rule.behaviour === "function"
        ? rule.behaviour({ ...run, count: rule.count })
        : rule.behaviour;
    rule.count++;
    return script;
  }

  // Resolves true when the container was stopped before its time was up.
  private wait(name: string, durationMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), durationMs);
      const finish = (stopped: boolean) => {
        clearTimeout(timer);
        this.stoppers.delete(name);
        resolve(stopped);
      };
      this.stoppers.set(name, () => finish(true));
    });
  }
}

function short(name: string): string {
  return name.replace(RUN_PREFIX, "");
}

function describeRun(spec: ContainerSpec): Omit<ContainerRun, "count"> {
  const pod = short(spec.pod);
  const container = spec.name.slice(spec.pod.length + 1);
  const retry = /-r(\d+)$/.exec(pod);
  const taskRun = retry ? pod.slice(0, retry.index) : pod;
  return { spec, key: `${taskRun}/${container}`, attempt: retry ? Number(retry[1]) : 0 };
}

function matches(matcher: Matcher, run: ContainerRun): boolean {
  if (typeof matcher === "string") return run.key === matcher || run.key.endsWith(`/${matcher}`);
  if (matcher instanceof RegExp) return matcher.test(run.key);
  return matcher(run);
}

// Writes the script's files on the host, where the container's bind mounts put them.
function writeFiles(spec: ContainerSpec, script: ContainerScript): void {
  const files = { ...script.files };
  for (const [name, value] of Object.entries(script.results ?? {})) {
    files[`/tekton/results/${name}`] = value;
  }
  for (const [path, content] of Object.entries(files)) {
    const host = hostPath(spec, path);
    mkdirSync(dirname(host), { recursive: true });
    writeFileSync(host, content);
  }
}

function hostPath(spec: ContainerSpec, path: string): string {
  const mount = [...spec.mounts]
    .sort((a, b) => b.target.length - a.target.length)
    .find((item) => path === item.target || path.startsWith(`${item.target}/`));
  if (!mount) throw new Error(`${path} is not under any mount of ${spec.name}`);
  return join(mount.source, path.slice(mount.target.length));
}

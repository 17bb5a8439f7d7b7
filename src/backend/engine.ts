import type { ImageConfig } from "../core/task/entrypoint.ts";

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** One container to create, already resolved: argv, env and host mounts. */
export interface ContainerSpec {
  name: string;
  image: string;
  /** The pod (podman) or network owner container (docker) to join. */
  pod: string;
  /** The executable; the rest of the command line goes in `args`. */
  entrypoint: string;
  args: string[];
  env: ReadonlyArray<readonly [string, string]>;
  workingDir: string | undefined;
  user: string | undefined;
  mounts: Mount[];
  labels: Record<string, string>;
}

export type OutputListener = (stream: "stdout" | "stderr", chunk: Buffer) => void;

/** The only way Mallet reaches a container engine; tests swap in a recording fake. */
export interface Engine {
  readonly name: "podman" | "docker";
  imageExists(image: string): Promise<boolean>;
  pullImage(image: string): Promise<void>;
  inspectImage(image: string): Promise<ImageConfig>;
  /** `hostname` is what steps see, as a pod's name is on a cluster (at most 63 characters). */
  createPod(name: string, hostname: string, labels: Record<string, string>): Promise<void>;
  removePod(name: string): Promise<void>;
  createContainer(spec: ContainerSpec): Promise<void>;
  /** Starts a created container, streams its output and resolves with its exit code. */
  runAttached(name: string, onOutput: OutputListener): Promise<number>;
  startDetached(name: string): Promise<void>;
  /** Copies a host file or directory into `dir` of a created (not yet started) container. */
  copyInto(name: string, source: string, dir: string): Promise<void>;
  exec(name: string, argv: string[]): Promise<number>;
  stopContainer(name: string): Promise<void>;
  removeContainer(name: string): Promise<void>;
  /** Removes every pod, container and volume carrying `label=value`; returns how many. */
  removeLabelled(label: string, value?: string): Promise<number>;
}

/** A failure of the engine itself (not of a step): the message says what it answered. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

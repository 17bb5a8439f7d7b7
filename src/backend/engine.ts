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

/** What a TaskRun's containers share: one network namespace, as a pod on a cluster. */
export interface PodSpec {
  name: string;
  /** What steps see as their hostname, as a pod's name on a cluster (at most 63 characters). */
  hostname: string;
  labels: Record<string, string>;
  /** An image already present: an engine without pods runs the network's holder from it. */
  image: string;
}

/** Files below a host directory to give to a user, by paths relative to `root`. */
export interface ChownRequest {
  root: string;
  paths: string[];
  uid: number;
  gid: number;
  /** An image already present that has `chown`, for engines that must use a container. */
  image: string;
}

/** The engine as `version` and `info` describe it. */
export interface EngineFacts {
  /** The server's (daemon's or podman's) version. */
  version: string;
  /** The client's version, when it differs from the server (docker). */
  clientVersion: string | undefined;
  /** Whether containers run in the user's own user namespace (rootless podman or docker). */
  rootless: boolean;
  /** The server's own name, such as "Docker Engine" or "Podman Engine" (docker's API). */
  server: string | undefined;
}

export type OutputListener = (stream: "stdout" | "stderr", chunk: Buffer) => void;

/** The only way Mallet reaches a container engine; tests swap in a recording fake. */
export interface Engine {
  readonly name: "podman" | "docker";
  imageExists(image: string): Promise<boolean>;
  /** Pulls the image; `signal` terminates the pull (Ctrl-C, or the run ending). */
  pullImage(image: string, signal?: AbortSignal): Promise<void>;
  inspectImage(image: string): Promise<ImageConfig>;
  createPod(spec: PodSpec): Promise<void>;
  /** Removes the pod and every container in it. */
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
  /** Version and rootlessness; throws an EngineError when the engine does not answer. */
  facts(): Promise<EngineFacts>;
  /** Changes the owner of files the calling user cannot change, with the engine's privileges. */
  chown(request: ChownRequest): Promise<void>;
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

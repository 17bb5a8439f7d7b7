import type { WhenExpression } from "../model/common.ts";
import type { ResultSpec } from "../model/common.ts";
import type { VolumeSource } from "./volumes.ts";

/** A mount of a planned volume into a container. */
export interface MountPlan {
  /** Key of the volume in `TaskPlan.volumes`. */
  volume: string;
  target: string;
  readOnly: boolean;
  subPath: string | undefined;
}

export interface ContainerPlan {
  /** The container's Tekton name: `step-<name>` or `sidecar-<name>`. */
  containerName: string;
  /** The step's own name (`unnamed-<i>` when it has none). */
  name: string;
  image: string;
  /** The command before the entrypoint rule; empty means "ask the image". */
  command: string[];
  args: string[];
  /** Script file content, written under /tekton/scripts and run as the command. */
  script: string | undefined;
  env: Array<[string, string]>;
  workingDir: string | undefined;
  mounts: MountPlan[];
  user: string | undefined;
  imagePullPolicy: "Always" | "IfNotPresent" | "Never" | undefined;
}

export interface StepPlan extends ContainerPlan {
  index: number;
  onError: "continue" | "stopAndFail";
  timeoutMs: number | undefined;
  when: WhenExpression[];
  results: ResultSpec[];
  /** Files inside the container that also receive the step's output (stdoutConfig). */
  stdoutPath: string | undefined;
  stderrPath: string | undefined;
}

export interface SidecarPlan extends ContainerPlan {
  /** An exec readiness probe: the command to run until it exits 0. */
  readiness: { command: string[]; periodMs: number } | undefined;
}

/** Everything needed to run one TaskRun, with all static substitution done. */
export interface TaskPlan {
  taskRunName: string;
  steps: StepPlan[];
  sidecars: SidecarPlan[];
  volumes: Map<string, VolumeSource>;
  results: ResultSpec[];
  /** Credentials to place under /tekton/creds and the steps' home directory. */
  credentials: CredentialFile[];
}

export interface CredentialFile {
  /** Path relative to the home directory, such as `.ssh/id_key` or `.gitconfig`. */
  path: string;
  content: string;
  mode: number;
}

/** Why planning a TaskRun failed, with Tekton's reason for the TaskRun's condition. */
export class PlanError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

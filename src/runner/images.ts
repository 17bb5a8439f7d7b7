import type { ImageConfig } from "../core/task/entrypoint.ts";
import type { Engine } from "../backend/engine.ts";

export type PullPolicy = "always" | "missing" | "never";

/** Raised when an image is neither present nor pullable; the TaskRun fails with Tekton's reason. */
export class ImagePullError extends Error {
  readonly reason = "TaskRunImagePullFailed";
}

/** Makes sure each image is present once per run, and inspects it once. */
export class ImageCache {
  private readonly ready = new Map<string, Promise<void>>();
  private readonly configs = new Map<string, Promise<ImageConfig>>();
  private readonly pulls = new AbortController();
  private readonly stopPulls = () => this.pulls.abort();

  /** `signal` (Ctrl-C) terminates pulls under way, as `dispose` does when the run ends. */
  constructor(
    private readonly engine: Engine,
    private readonly policy: PullPolicy,
    private readonly onPull: (
      image: string,
      state: "started" | "done" | "failed",
      message?: string,
    ) => void,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener("abort", this.stopPulls, { once: true });
  }

  /** Terminates pulls still under way, so that no engine process outlives the run. */
  dispose(): void {
    this.signal?.removeEventListener("abort", this.stopPulls);
    this.pulls.abort();
  }

  /** Ensures the image is present, pulling it according to the policy. */
  ensure(image: string, stepPolicy?: "Always" | "IfNotPresent" | "Never"): Promise<void> {
    const existing = this.ready.get(image);
    if (existing) return existing;
    const promise = this.fetch(image, stepPolicy);
    this.ready.set(image, promise);
    return promise;
  }

  inspect(image: string): Promise<ImageConfig> {
    const existing = this.configs.get(image);
    if (existing) return existing;
    const promise = this.ensure(image).then(() => this.engine.inspectImage(image));
    this.configs.set(image, promise);
    return promise;
  }

  private async fetch(
    image: string,
    stepPolicy?: "Always" | "IfNotPresent" | "Never",
  ): Promise<void> {
    const policy = this.policy === "missing" ? fromStepPolicy(stepPolicy) : this.policy;
    if (policy !== "always" && (await this.engine.imageExists(image))) return;
    if (policy === "never") {
      throw new ImagePullError(
        `image "${image}" is not present and pulling is disabled (--pull never)`,
      );
    }
    this.onPull(image, "started");
    try {
      await this.engine.pullImage(image, this.pulls.signal);
      this.onPull(image, "done");
    } catch (error) {
      if (this.pulls.signal.aborted) throw new ImagePullError(`pull of "${image}" was cancelled`);
      const message = (error as Error).message;
      this.onPull(image, "failed", message);
      throw new ImagePullError(`failed to pull image "${image}": ${message}`);
    }
  }
}

function fromStepPolicy(policy: "Always" | "IfNotPresent" | "Never" | undefined): PullPolicy {
  if (policy === "Always") return "always";
  if (policy === "Never") return "never";
  return "missing";
}

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Engine } from "../backend/engine.ts";
import type { Catalog } from "../core/catalog.ts";
import type { EventSink } from "../core/events.ts";
import { type ImageMap, mapImage } from "../core/image-map.ts";
import type { PipelineRunResource, TaskRunResource } from "../core/model/resources.ts";
import { collectRunImages } from "../core/run-images.ts";
import type { RunStatus } from "../core/status.ts";
import { makeDir } from "./host-dirs.ts";
import { ImageCache, type PullPolicy } from "./images.ts";
import { prefetchImages, pullFailedStatus } from "./prefetch.ts";
import { createRunDir, removeRunDir } from "./run-dirs.ts";
import { executePipelineRun } from "./run-pipelinerun.ts";
import { executeTaskRun } from "./run-taskrun.ts";

export interface SessionOptions {
  engine: Engine;
  emit: EventSink;
  catalog: Catalog;
  imageMap: ImageMap;
  pull: PullPolicy;
  concurrency: number;
  /** Where persistent claims (PVC workspaces) live. */
  stateDir: string;
  signal: AbortSignal;
}

export const RUN_LABEL = "mallet.run";

/** Runs TaskRuns and PipelineRuns one after another, removing all they created. */
export async function runAll(
  runs: ReadonlyArray<TaskRunResource | PipelineRunResource>,
  options: SessionOptions,
): Promise<RunStatus[]> {
  const statuses: RunStatus[] = [];
  for (const run of runs) {
    if (options.signal.aborted) break;
    statuses.push(await runOne(run, options));
  }
  return statuses;
}

async function runOne(
  run: TaskRunResource | PipelineRunResource,
  options: SessionOptions,
): Promise<RunStatus> {
  const runId = randomBytes(4).toString("hex");
  const workDir = createRunDir(runId);
  const name = runName(run);
  const ctx = {
    engine: options.engine,
    emit: options.emit,
    runId,
    workDir,
    shared: { claims: makeDir(join(options.stateDir, "claims")) },
    images: new ImageCache(
      options.engine,
      options.pull,
      (image, state, message) =>
        options.emit({ kind: "image-pull", image, state, ...(message ? { message } : {}) }),
      options.signal,
    ),
    mapImage: (image: string) => mapImage(image, options.imageMap),
    signal: options.signal,
    labels: { [RUN_LABEL]: runId },
    cleanups: [] as Array<Promise<void>>,
  };
  try {
    const status =
      (await pullEverything(run, name, options, ctx)) ??
      (run.kind === "TaskRun"
        ? await executeTaskRun(run, name, options.catalog, ctx)
        : await executePipelineRun(run, name, options.catalog, ctx, {
            concurrency: options.concurrency,
          }));
    options.emit({ kind: "run-finished", status, condition: status.condition });
    return status;
  } finally {
    ctx.images.dispose();
    await Promise.allSettled(ctx.cleanups);
    await options.engine.removeLabelled(RUN_LABEL, runId);
    removeRunDir(workDir);
  }
}

/** Pulls all images of the run up front; a run missing one ends at once, its status returned. */
async function pullEverything(
  run: TaskRunResource | PipelineRunResource,
  name: string,
  options: SessionOptions,
  ctx: { images: ImageCache; mapImage: (image: string) => string },
): Promise<RunStatus | undefined> {
  const plan = collectRunImages(run, name, options.catalog);
  const failures = await prefetchImages(plan.images, ctx.images, ctx.mapImage);
  if (failures.length === 0 || options.signal.aborted) return undefined;
  return pullFailedStatus(run, name, plan, failures, options.emit);
}

/** The run's name; `generateName` gets a random five-character suffix as the API server adds. */
export function runName(run: TaskRunResource | PipelineRunResource): string {
  if (run.metadata.name) return run.metadata.name;
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const suffix = [...randomBytes(5)].map((byte) => alphabet[byte % alphabet.length]).join("");
  return `${run.metadata.generateName ?? "run-"}${suffix}`;
}

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../backend/engine.ts";
import type { Catalog } from "../core/catalog.ts";
import type { EventSink } from "../core/events.ts";
import { type ImageMap, mapImage } from "../core/image-map.ts";
import type { PipelineRunResource, TaskRunResource } from "../core/model/resources.ts";
import type { RunStatus } from "../core/status.ts";
import { makeDir } from "./host-dirs.ts";
import { ImageCache, type PullPolicy } from "./images.ts";
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
  const workDir = mkdtempSync(join(tmpdir(), `mallet-${runId}-`));
  const name = runName(run);
  const ctx = {
    engine: options.engine,
    emit: options.emit,
    runId,
    workDir,
    shared: { claims: makeDir(join(options.stateDir, "claims")) },
    images: new ImageCache(options.engine, options.pull, (image, state, message) =>
      options.emit({ kind: "image-pull", image, state, ...(message ? { message } : {}) }),
    ),
    mapImage: (image: string) => mapImage(image, options.imageMap),
    signal: options.signal,
    labels: { [RUN_LABEL]: runId },
  };
  try {
    const status =
      run.kind === "TaskRun"
        ? await executeTaskRun(run, name, options.catalog, ctx)
        : await executePipelineRun(run, name, options.catalog, ctx, {
            concurrency: options.concurrency,
          });
    options.emit({ kind: "run-finished", status, condition: status.condition });
    return status;
  } finally {
    await options.engine.removeLabelled(RUN_LABEL, runId);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The run's name; `generateName` gets a random five-character suffix as the API server adds. */
export function runName(run: TaskRunResource | PipelineRunResource): string {
  if (run.metadata.name) return run.metadata.name;
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const suffix = [...randomBytes(5)].map((byte) => alphabet[byte % alphabet.length]).join("");
  return `${run.metadata.generateName ?? "run-"}${suffix}`;
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Catalog } from "../../src/core/catalog.ts";
import type { RunEvent } from "../../src/core/events.ts";
import { decodeDocument } from "../../src/core/load/decode.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import type { PipelineRunResource, TaskRunResource } from "../../src/core/model/resources.ts";
import type { RunStatus } from "../../src/core/status.ts";
import { runAll } from "../../src/runner/session.ts";
import type { FakeEngine } from "./fake-engine.ts";

export interface FakeRunOptions {
  concurrency?: number;
  signal?: AbortSignal;
}

export interface FakeRunResult {
  statuses: RunStatus[];
  events: RunEvent[];
}

/** Loads YAML with the real loader and runs its TaskRuns and PipelineRuns on a fake engine. */
export async function runOnFake(
  yaml: string,
  engine: FakeEngine,
  options: FakeRunOptions = {},
): Promise<FakeRunResult> {
  const resources = parseYamlDocuments(yaml, "fixture.yaml").flatMap(
    (doc) => decodeDocument(doc) ?? [],
  );
  const runs = resources.filter(
    (item): item is TaskRunResource | PipelineRunResource =>
      item.kind === "TaskRun" || item.kind === "PipelineRun",
  );
  const events: RunEvent[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), "mallet-fake-state-"));
  try {
    const statuses = await runAll(runs, {
      engine,
      emit: (event) => events.push(event),
      catalog: new Catalog(resources),
      imageMap: new Map(),
      pull: "missing",
      concurrency: options.concurrency ?? 4,
      stateDir,
      signal: options.signal ?? new AbortController().signal,
    });
    return { statuses, events };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

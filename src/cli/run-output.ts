import type { Catalog } from "../core/catalog.ts";
import type { PipelineRunResource, Resource, TaskRunResource } from "../core/model/resources.ts";
import { resolvedRunDocument, toYaml } from "../runner/dry-run.ts";
import { RunStore } from "../runner/run-store.ts";
import {
  createMasker,
  encodedSecretValues,
  type Masker,
  MaskingRenderer,
  secretValues,
} from "../ui/mask.ts";
import type { Renderer } from "../ui/renderer.ts";
import { TeeRenderer } from "../ui/tee.ts";
import { type RendererChoice, selectRenderer } from "./select-renderer.ts";

export interface RunOutputOptions extends RendererChoice {
  /** Where runs are saved (`<stateDir>/runs/<run>/`). */
  stateDir: string;
  runs: ReadonlyArray<TaskRunResource | PipelineRunResource>;
  resources: readonly Resource[];
  catalog: Catalog;
}

/**
 * Everything a run's events go to: the chosen renderer and the run store, both behind the
 * masker, so no output and no saved file holds a secret value.
 */
export function createRunOutput(options: RunOutputOptions): { renderer: Renderer; masker: Masker } {
  const { resources } = options;
  const masker = createMasker([...secretValues(resources), ...encodedSecretValues(resources)]);
  const store = new RunStore({
    stateDir: options.stateDir,
    onError: (message) => process.stderr.write(`mallet: warning: ${message}\n`),
    runYaml: (index, name) => {
      const run = options.runs[index];
      if (!run) return undefined;
      return masker.mask(toYaml(resolvedRunDocument(run, options.catalog, name)));
    },
  });
  const screen = selectRenderer(options);
  return { renderer: new MaskingRenderer(new TeeRenderer([screen, store]), masker), masker };
}

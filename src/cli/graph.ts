import { defineCommand } from "citty";
import { Catalog } from "../core/catalog.ts";
import { MalletError } from "../core/errors.ts";
import type { PipelineSpec } from "../core/model/pipeline.ts";
import type { Resource } from "../core/model/resources.ts";
import { resolvePipelineRef } from "../runner/resolve-refs.ts";
import { toDot, toMermaid } from "../ui/graph-export.ts";
import { buildPipelineGraph, type PipelineGraph } from "../ui/graph-model.ts";
import { drawGraphText } from "../ui/graph-text.ts";
import { loadResources } from "./input.ts";
import { repeatedFlags } from "./repeated.ts";

export const graphCommand = defineCommand({
  meta: {
    name: "graph",
    description:
      "Draw a pipeline's DAG: in the terminal, or as Mermaid or Graphviz DOT.\n\n" +
      "Examples:\n" +
      "  mallet graph .tekton/pipeline.yaml\n" +
      "  mallet graph .tekton/ --pipeline ci --format mermaid > ci.mmd\n" +
      "  mallet graph run.yaml --format dot | dot -Tsvg > pipeline.svg",
  },
  args: {
    input: {
      type: "positional",
      required: true,
      description: "files or directories of Tekton YAML, or -",
    },
    pipeline: {
      type: "string",
      description: "the Pipeline (or PipelineRun) to draw when the input holds several",
    },
    format: { type: "string", alias: "f", default: "text", description: "text, mermaid or dot" },
    resources: {
      type: "string",
      description: "directory of Pipelines a PipelineRun may refer to; repeatable",
    },
  },
  run({ args, rawArgs }) {
    const multi = repeatedFlags(rawArgs, { resources: undefined });
    const inputs = args._.length > 0 ? args._ : [args.input];
    const resources = [...loadResources(inputs), ...loadResources(multi.resources ?? [])];
    const { name, spec } = pickPipeline(resources, args.pipeline);
    process.stdout.write(renderGraph(buildPipelineGraph(name, spec), args.format));
  },
});

/** The graph in the wanted format. */
export function renderGraph(graph: PipelineGraph, format: string): string {
  if (format === "mermaid") return toMermaid(graph);
  if (format === "dot") return toDot(graph);
  if (format === "text") return `${drawGraphText(graph).join("\n")}\n`;
  throw new MalletError("USAGE", `--format must be text, mermaid or dot, not "${format}"`);
}

/** The Pipeline to draw: the one named, the only Pipeline, or the only PipelineRun's. */
export function pickPipeline(
  resources: readonly Resource[],
  wanted: string | undefined,
): { name: string; spec: PipelineSpec } {
  const catalog = new Catalog(resources);
  const pipelines = resources.filter((item) => item.kind === "Pipeline");
  const runs = resources.filter((item) => item.kind === "PipelineRun");
  const candidates = [...pipelines, ...runs].filter(
    (item) => wanted === undefined || item.name === wanted,
  );
  const chosen =
    wanted === undefined ? (pipelines.length === 1 ? pipelines : candidates) : candidates;
  const [first] = chosen;
  if (!first) {
    const what =
      wanted === undefined
        ? "no Pipeline or PipelineRun"
        : `no Pipeline or PipelineRun "${wanted}"`;
    throw new MalletError("INPUT", `the input holds ${what}`);
  }
  if (chosen.length > 1) {
    const names = chosen.map((item) => item.name).join(", ");
    throw new MalletError(
      "USAGE",
      `the input holds several pipelines (${names}); choose one with --pipeline NAME`,
    );
  }
  if (first.kind === "Pipeline") return { name: first.name, spec: first.spec };
  if (first.spec.pipelineSpec) return { name: first.name, spec: first.spec.pipelineSpec };
  return resolvePipelineRef(first.spec.pipelineRef ?? {}, catalog, first.doc, [
    "spec",
    "pipelineRef",
  ]);
}

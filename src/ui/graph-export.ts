import type { PipelineGraph } from "./graph-model.ts";

/** The pipeline as a Mermaid flowchart; finally tasks in their own subgraph. */
export function toMermaid(graph: PipelineGraph): string {
  const id = new Map(graph.nodes.map((node, index) => [node.name, `t${index}`]));
  const lines = ["flowchart TD"];
  const declare = (name: string, notes: readonly string[]) => {
    const text = notes.length === 0 ? name : `${name}<br/><small>${notes.join(", ")}</small>`;
    return `${id.get(name)}["${text.replaceAll('"', "#quot;")}"]`;
  };
  for (const node of graph.nodes.filter((item) => !item.isFinally))
    lines.push(`  ${declare(node.name, node.notes)}`);
  for (const edge of graph.edges) {
    const arrow = edge.via === "result" ? "-- result -->" : "-->";
    lines.push(`  ${id.get(edge.from)} ${arrow} ${id.get(edge.to)}`);
  }
  const finals = graph.nodes.filter((node) => node.isFinally);
  if (finals.length > 0) {
    lines.push("  subgraph finally");
    for (const node of finals) lines.push(`    ${declare(node.name, node.notes)}`);
    lines.push("  end");
  }
  return `${lines.join("\n")}\n`;
}

/** The pipeline as Graphviz DOT; finally tasks in a cluster. */
export function toDot(graph: PipelineGraph): string {
  // Names are Kubernetes names; the escapes only guard a label's quotes and line breaks.
  const quote = (text: string) =>
    `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;
  const node = (name: string, notes: readonly string[]) =>
    notes.length === 0
      ? quote(name)
      : `${quote(name)} [label=${quote(`${name}\n${notes.join(", ")}`)}]`;
  const lines = [
    `digraph ${quote(graph.name)} {`,
    "  rankdir=TB;",
    '  node [shape=box, style=rounded, fontname="sans-serif"];',
  ];
  for (const item of graph.nodes.filter((entry) => !entry.isFinally))
    lines.push(`  ${node(item.name, item.notes)};`);
  for (const edge of graph.edges) {
    const style = edge.via === "result" ? ' [label="result"]' : "";
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${style};`);
  }
  const finals = graph.nodes.filter((entry) => entry.isFinally);
  if (finals.length > 0) {
    lines.push("  subgraph cluster_finally {", '    label="finally";', "    style=dashed;");
    for (const item of finals) lines.push(`    ${node(item.name, item.notes)};`);
    lines.push("  }");
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

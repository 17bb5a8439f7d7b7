import { type PipelineGraph, parentsOf } from "./graph-model.ts";

/**
 * Draws a pipeline's DAG for the terminal, top to bottom, one task per line. Each edge is
 * a lane (a column): a task's lanes fork to its children and its parents' lanes merge into
 * it, as `git log --graph` draws history. Finally tasks follow, after a rule.
 */
export function drawGraphText(graph: PipelineGraph): string[] {
  const lines = [`Pipeline ${graph.name}`];
  const lanes: Array<string | undefined> = [];
  const dagNodes = graph.nodes.filter((node) => !node.isFinally);
  for (const node of dagNodes) {
    const incoming = lanes.flatMap((target, index) => (target === node.name ? [index] : []));
    const column = incoming[0] ?? freeLane(lanes, 0);
    if (incoming.length > 1) lines.push(mergeRow(lanes, column, incoming.slice(1)));
    for (const index of incoming.slice(1)) lanes[index] = undefined;
    lanes[column] = node.name;
    lines.push(`${laneRow(lanes, column, "●")} ${label(node.name, node.notes)}`);
    const children = dagNodes.filter((child) => parentsOf(graph, child.name).includes(node.name));
    lanes[column] = children[0]?.name;
    const forks = children.slice(1).map((child) => {
      const index = freeLane(lanes, column + 1);
      lanes[index] = child.name;
      return index;
    });
    while (lanes.length > 0 && lanes[lanes.length - 1] === undefined) lanes.pop();
    // Lanes going on are drawn down to the next task, so a chain is told from a list.
    if (forks.length > 0) lines.push(forkRow(lanes, column, forks));
    else if (lanes.length > 0) lines.push(laneRow(lanes, -1, ""));
  }
  const finals = graph.nodes.filter((node) => node.isFinally);
  if (finals.length > 0) lines.push("┄┄ finally ┄┄");
  for (const node of finals) lines.push(`◆ ${label(node.name, node.notes)}`);
  return lines;
}

function label(name: string, notes: readonly string[]): string {
  return notes.length === 0 ? name : `${name}  (${notes.join(", ")})`;
}

function freeLane(lanes: ReadonlyArray<string | undefined>, from: number): number {
  for (let index = from; index < lanes.length; index++)
    if (lanes[index] === undefined) return index;
  return Math.max(lanes.length, from);
}

/** The lanes as they pass a task's line: `mark` in its column, `│` in the others in use. */
function laneRow(lanes: ReadonlyArray<string | undefined>, column: number, mark: string): string {
  const cells = lanes.map((target, index) =>
    index === column ? mark : target === undefined ? " " : "│",
  );
  if (column >= lanes.length) cells[column] = mark;
  return cells.join(" ").trimEnd();
}

/** Lanes joining `column` from the right: `├─┴─┘`, crossing the lanes in between. */
function mergeRow(
  lanes: ReadonlyArray<string | undefined>,
  column: number,
  joining: number[],
): string {
  return joinRow(lanes, column, joining, "┴", "┘");
}

/** New lanes leaving `column` to the right: `├─┬─┐`. */
function forkRow(
  lanes: ReadonlyArray<string | undefined>,
  column: number,
  leaving: number[],
): string {
  return joinRow(lanes, column, leaving, "┬", "┐");
}

function joinRow(
  lanes: ReadonlyArray<string | undefined>,
  column: number,
  ends: number[],
  tee: string,
  corner: string,
) {
  const last = Math.max(...ends);
  const width = Math.max(lanes.length, last + 1);
  let row = "";
  for (let index = 0; index < width; index++) {
    const inside = index > column && index <= last;
    if (index > 0) row += inside ? "─" : " ";
    if (index === column) row += "├";
    else if (index === last) row += corner;
    else if (ends.includes(index)) row += tee;
    else if (inside) row += lanes[index] === undefined ? "─" : "┼";
    else row += lanes[index] === undefined ? " " : "│";
  }
  return row.trimEnd();
}

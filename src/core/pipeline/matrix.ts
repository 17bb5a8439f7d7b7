import type { Param, ParamValue } from "../model/common.ts";
import type { Matrix } from "../model/pipeline.ts";

export const MAX_MATRIX_COMBINATIONS = 256;

/** One fan-out of a matrixed task: its params and, for an `include` entry, its name. */
export interface Combination {
  params: Param[];
}

/**
 * Expands a substituted matrix into combinations: a cartesian product in which the first
 * param varies fastest (later params form the outer loop), then `include` entries merged
 * into the combinations they match, or appended when they match none.
 */
export function expandMatrix(matrix: Matrix): Combination[] {
  let combos: Array<Map<string, string>> = [new Map()];
  const params = matrix.params ?? [];
  if (params.length === 0) combos = [];
  for (const param of params) {
    // Values outside, earlier combinations inside: earlier params vary fastest.
    const next: Array<Map<string, string>> = [];
    for (const value of param.value) {
      for (const combo of combos) next.push(new Map(combo).set(param.name, value));
    }
    combos = next;
  }
  const names = new Set(params.map((param) => param.name));
  for (const include of matrix.include ?? []) applyInclude(combos, include.params ?? [], names);
  return combos.map((combo) => ({ params: [...combo].map(([name, value]) => ({ name, value })) }));
}

function applyInclude(
  combos: Array<Map<string, string>>,
  params: readonly Param[],
  names: ReadonlySet<string>,
) {
  const entries = params.map((param) => [param.name, String(param.value)] as const);
  const keys = entries.filter(([name]) => names.has(name));
  const extra = entries.filter(([name]) => !names.has(name));
  const matching = combos.filter((combo) =>
    keys.every(([name, value]) => combo.get(name) === value),
  );
  if (keys.length > 0 && matching.length === 0) {
    combos.push(new Map(entries));
    return;
  }
  if (keys.length === 0 && combos.length === 0) {
    combos.push(new Map(entries));
    return;
  }
  for (const combo of matching) for (const [name, value] of extra) combo.set(name, value);
}

/** True when some matrix param has no values: Tekton skips such a task. */
export function hasEmptyMatrixParam(matrix: Matrix | undefined): boolean {
  return (matrix?.params ?? []).some((param) => param.value.length === 0);
}

/** Results of a matrixed task: each string result becomes an array over the combinations. */
export function aggregateMatrixResults(
  runs: ReadonlyArray<ReadonlyMap<string, ParamValue>>,
): Map<string, ParamValue> {
  const out = new Map<string, string[]>();
  for (const results of runs) {
    for (const [name, value] of results) {
      if (typeof value !== "string") continue;
      out.set(name, [...(out.get(name) ?? []), value]);
    }
  }
  return out;
}

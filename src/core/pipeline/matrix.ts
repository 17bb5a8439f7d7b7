import type { Param, ParamValue } from "../model/common.ts";
import type { Matrix } from "../model/pipeline.ts";

export const MAX_MATRIX_COMBINATIONS = 256;

/** One fan-out of a matrixed task: its params and, for an `include` entry, its name. */
export interface Combination {
  params: Param[];
}

/**
 * Expands a substituted matrix into combinations as Tekton does: a cartesian product in which
 * the first param varies fastest (later params form the outer loop); then each `include`
 * entry is merged into every combination it does not contradict, and appended as a new
 * combination when no combination shares any of its values. Only `include`: one each.
 */
export function expandMatrix(matrix: Matrix): Combination[] {
  const includes = (matrix.include ?? []).map(
    (include) => new Map((include.params ?? []).map((param) => [param.name, String(param.value)])),
  );
  const params = matrix.params ?? [];
  if (params.length === 0) return includes.map(toCombination);

  let combos: Array<Map<string, string>> = [new Map()];
  for (const param of params) {
    // Values outside, earlier combinations inside: earlier params vary fastest.
    const next: Array<Map<string, string>> = [];
    for (const value of listOf(param.value)) {
      for (const combo of combos) next.push(new Map(combo).set(param.name, value));
    }
    combos = next;
  }
  for (const combo of combos) {
    for (const include of includes) {
      if (!contradicts(combo, include)) for (const [name, value] of include) combo.set(name, value);
    }
  }
  for (const include of includes) {
    if (include.size > 0 && !combos.some((combo) => shares(combo, include))) combos.push(include);
  }
  return combos.map(toCombination);
}

function contradicts(combo: ReadonlyMap<string, string>, include: ReadonlyMap<string, string>) {
  return [...include].some(([name, value]) => combo.has(name) && combo.get(name) !== value);
}

function shares(combo: ReadonlyMap<string, string>, include: ReadonlyMap<string, string>) {
  return [...include].some(([name, value]) => combo.get(name) === value);
}

function toCombination(combo: ReadonlyMap<string, string>): Combination {
  return { params: [...combo].map(([name, value]) => ({ name, value })) };
}

/** True when some matrix param has no values: Tekton skips such a task. */
export function hasEmptyMatrixParam(matrix: Matrix | undefined): boolean {
  return (matrix?.params ?? []).some((param) => listOf(param.value).length === 0);
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

// A matrix param is a list once substituted; an unresolved whole-array reference is one value.
function listOf(value: string | readonly string[]): readonly string[] {
  return typeof value === "string" ? [value] : value;
}

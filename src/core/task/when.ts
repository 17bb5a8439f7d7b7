import type { WhenExpression } from "../model/common.ts";

/** Evaluates already-substituted when expressions: every one must hold. */
export function evaluateWhen(expressions: readonly WhenExpression[] | undefined): {
  pass: boolean;
  failed?: WhenExpression;
} {
  for (const expression of expressions ?? []) {
    if (!holds(expression)) return { pass: false, failed: expression };
  }
  return { pass: true };
}

function holds(expression: WhenExpression): boolean {
  if (expression.cel !== undefined) return celHolds(expression.cel);
  const found = (expression.values ?? []).includes(expression.input ?? "");
  return expression.operator === "notin" ? !found : found;
}

// LIMITATION: CEL when expressions support only literal comparisons `'a' == 'b'` and `!=`;
// anything else is treated as false.
function celHolds(cel: string): boolean {
  const match = /^\s*'([^']*)'\s*(==|!=)\s*'([^']*)'\s*$/.exec(cel);
  if (!match) return false;
  return match[2] === "==" ? match[1] === match[3] : match[1] !== match[3];
}

/** Describes a when expression for a skip reason, like Tekton's WhenExpressionsSkip message. */
export function describeWhen(expression: WhenExpression): string {
  if (expression.cel !== undefined) return `cel "${expression.cel}" is false`;
  const values = (expression.values ?? []).join(", ");
  return `"${expression.input ?? ""}" ${expression.operator ?? "in"} [${values}] is false`;
}

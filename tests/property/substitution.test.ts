import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { Catalog } from "../../src/core/catalog.ts";
import { ParamSchema, ParamSpecSchema, type ParamValue } from "../../src/core/model/common.ts";
import type { PipelineRunResource, Resource } from "../../src/core/model/resources.ts";
import { preparePipelineTask } from "../../src/core/pipeline/prepare-task.ts";
import { pipelineVars } from "../../src/core/pipeline/vars.ts";
import { resolveParams } from "../../src/core/subst/params.ts";
import { SubstitutionError } from "../../src/core/subst/reference.ts";
import {
  substituteArray,
  substituteDeep,
  substituteString,
} from "../../src/core/subst/substitute.ts";
import { PlanError } from "../../src/core/task/plan.ts";
import { planTask } from "../../src/core/task/plan-task.ts";
import { taskPlanInput } from "../../src/runner/plan-input.ts";
import { resolvePipelineRef, resolveTaskRef } from "../../src/runner/resolve-refs.ts";
import { anyValue, load, mutatedYaml, seedTexts, unlocated } from "./documents.ts";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SLOW = 120_000;

const VARS = new Map<string, ParamValue>([
  ["params.s", "text"],
  ["params.words", ["a", "b", "c"]],
  ["params.empty", []],
  ["params.obj", { k: "v", "dotted.key": "w" }],
  ["params.self", "$(params.self)"],
  ["context.taskRun.name", "run"],
]);

// Text made of the pieces a reference is built from, in any order.
const referenceText = fc
  .array(
    fc.oneof(
      fc.constantFrom("$(", ")", "params", ".", "s", "words", "obj", "k", "self", "[", "]", "*"),
      fc.constantFrom("0", "1", "99", "'", '"', "dotted.key", "inputs.", " ", "$", "(", "\\"),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(""));

/** Substitution errors are values the runner turns into a TaskRun failure: nothing else. */
function onlySubstitutionErrors(work: () => unknown): boolean {
  try {
    work();
  } catch (error) {
    if (!(error instanceof SubstitutionError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
  return true;
}

describe("substitution of any text", () => {
  test("a string: text comes back, or a SubstitutionError with a message", () => {
    fc.assert(
      fc.property(referenceText, (text) =>
        onlySubstitutionErrors(() => {
          const out = substituteString(text, VARS);
          expect(typeof out).toBe("string");
          if (!text.includes("$(")) expect(out).toBe(text);
        }),
      ),
      { numRuns: RUNS * 3 },
    );
  });

  test("arrays and nested values", () => {
    fc.assert(
      fc.property(fc.array(referenceText, { maxLength: 5 }), anyValue, (items, deep) =>
        onlySubstitutionErrors(() => {
          expect(Array.isArray(substituteArray(items, VARS))).toBe(true);
          substituteDeep(deep, VARS);
        }),
      ),
      { numRuns: RUNS },
    );
  });

  test("substitution is one pass: a value that holds a reference is not expanded again", () => {
    expect(substituteString("$(params.self)", VARS)).toBe("$(params.self)");
    expect(substituteString("[$(params.s)]", VARS)).toBe("[text]");
  });
});

describe("params of any shape", () => {
  test("resolveParams reports problems as values, never throws", () => {
    const spec = fc.record(
      {
        name: fc.constantFrom("s", "words", "obj", "x"),
        type: fc.constantFrom("string", "array", "object"),
        default: anyValue,
        properties: fc.constant({ k: { type: "string" } }),
        enum: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
      },
      { requiredKeys: ["name"] },
    );
    const given = fc.record({ name: fc.constantFrom("s", "words", "obj", "x"), value: anyValue });
    // Only what the schema lets through reaches resolveParams.
    const valid =
      <T>(schema: v.GenericSchema<unknown, T>) =>
      (items: unknown[]) =>
        items.flatMap((item) => {
          const parsed = v.safeParse(schema, item);
          return parsed.success ? [parsed.output] : [];
        });
    const specs = fc.array(spec, { maxLength: 4 }).map(valid(ParamSpecSchema));
    const values = fc.array(given, { maxLength: 4 }).map(valid(ParamSchema));
    fc.assert(
      fc.property(specs, values, (declared, provided) => {
        const result = resolveParams(declared, provided, new Map());
        for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(0);
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * Prepares and plans every DAG task of a PipelineRun as the runner does before starting it.
 * A task that cannot be planned fails with a PlanError or SubstitutionError (its TaskRun's
 * reason); a document error is a located MalletError.
 */
function planPipelineTasks(run: PipelineRunResource, resources: Resource[]): void {
  const catalog = new Catalog(resources);
  const pipeline = run.spec.pipelineSpec
    ? { spec: run.spec.pipelineSpec, name: run.name }
    : resolvePipelineRef(run.spec.pipelineRef ?? {}, catalog, run.doc, ["spec", "pipelineRef"]);
  const { values } = resolveParams(pipeline.spec.params ?? [], run.spec.params ?? [], new Map());
  const workspaces = run.spec.workspaces ?? [];
  const vars = pipelineVars({
    params: values,
    context: new Map([["context.pipelineRun.name", run.name]]),
    tasks: new Map(),
    matrixLengths: new Map(),
    boundWorkspaces: new Map(workspaces.map((binding) => [binding.name, true])),
    withStatus: false,
  });
  for (const task of pipeline.spec.tasks ?? []) {
    try {
      const prepared = preparePipelineTask(task, vars, workspaces);
      if (prepared.kind !== "run") continue;
      const spec =
        prepared.task.taskSpec ??
        resolveTaskRef(task.taskRef ?? {}, catalog, run.doc, ["spec", "pipelineRef"]).spec;
      planTask(
        taskPlanInput(
          {
            taskRunName: `${run.name}-${task.name}`,
            taskName: task.name,
            spec,
            params: prepared.task.params,
            workspaces: prepared.task.workspaces,
            context: new Map(),
            retryCount: 0,
            serviceAccountName: undefined,
            podTemplate: undefined,
          },
          catalog,
        ),
      );
    } catch (error) {
      if (!(error instanceof PlanError || error instanceof SubstitutionError)) throw error;
    }
  }
}

describe("pipeline tasks of mutated documents", () => {
  test(
    "each task plans, fails as a TaskRun would, or the document fails with a location",
    () => {
      const seeds = seedTexts().filter((text) => text.includes("kind: PipelineRun"));
      fc.assert(
        fc.property(mutatedYaml(seeds), (text) => {
          const loaded = load(text);
          if (!loaded.ok) return true;
          for (const run of loaded.resources) {
            if (run.kind !== "PipelineRun") continue;
            try {
              planPipelineTasks(run, loaded.resources);
            } catch (error) {
              const problem = unlocated(error);
              if (problem) throw new Error(`${problem}\n--- input ---\n${text.slice(0, 3000)}`);
            }
          }
          return true;
        }),
        { numRuns: RUNS },
      );
    },
    SLOW,
  );
});

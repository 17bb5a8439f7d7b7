import type { DocPath } from "../load/parse-yaml.ts";
import type { PipelineResult, PipelineSpec, PipelineTask } from "../model/pipeline.ts";
import type { TaskSpec } from "../model/task.ts";
import { buildDag } from "../pipeline/dag.ts";
import { isMatrixed, pipelineTaskSites } from "./check-pipeline-task.ts";
import type { Scope } from "./diagnostic.ts";
import { scanRefs, type VarRef, walkReferenceStrings } from "./expressions.ts";
import { type Lookup, localRefName } from "./lookup.ts";

/** The tasks of a pipeline by section, with the Task spec each runs when it is known. */
interface Tasks {
  dag: ReadonlyMap<string, PipelineTask>;
  finally: ReadonlyMap<string, PipelineTask>;
  specOf(name: string): TaskSpec | undefined;
}

/** Checks how tasks refer to each other: runAfter, results, status, cycles, pipeline results. */
export function checkGraph(spec: PipelineSpec, at: Scope, lookup: Lookup): void {
  const tasks = indexTasks(spec, lookup);
  checkDag(spec.tasks ?? [], at);
  (spec.tasks ?? []).forEach((task, i) => checkTaskRefs(task, at.at("tasks", i), tasks, "tasks"));
  (spec.finally ?? []).forEach((task, i) => {
    const scope = at.at("finally", i);
    if (task.runAfter && task.runAfter.length > 0) {
      scope.report(
        "finally-runafter",
        ["runAfter"],
        `finally task "${task.name}" cannot have runAfter: finally tasks run after all tasks`,
      );
    }
    checkTaskRefs(task, scope, tasks, "finally");
  });
  (spec.results ?? []).forEach((result, i) =>
    checkPipelineResult(result, at.at("results", i), tasks),
  );
}

function indexTasks(spec: PipelineSpec, lookup: Lookup): Tasks {
  const dag = new Map((spec.tasks ?? []).map((t) => [t.name, t]));
  const fin = new Map((spec.finally ?? []).map((t) => [t.name, t]));
  const specOf = (name: string) => {
    const task = dag.get(name) ?? fin.get(name);
    if (!task) return undefined;
    if (task.taskSpec && task.taskSpec.steps.length > 0) return task.taskSpec;
    const ref = localRefName(task.taskRef, "Task");
    return ref === undefined ? undefined : lookup.task(ref);
  };
  return { dag, finally: fin, specOf };
}

function checkDag(tasks: readonly PipelineTask[], at: Scope): void {
  const { problems } = buildDag(tasks);
  const indexOf = new Map(tasks.map((t, i) => [t.name, i]));
  for (const problem of problems) {
    if (problem.kind === "unknown-task" && problem.via === "runAfter") {
      const i = indexOf.get(problem.task) ?? 0;
      const j = tasks[i]?.runAfter?.indexOf(problem.ref) ?? 0;
      at.report(
        "runafter-unknown",
        ["tasks", i, "runAfter", j],
        `runAfter names "${problem.ref}", which is not a task of this pipeline`,
      );
    } else if (problem.kind === "cycle") {
      const [first = "", second = ""] = problem.tasks;
      const i = indexOf.get(first) ?? 0;
      const j = tasks[i]?.runAfter?.indexOf(second) ?? -1;
      const path = j >= 0 ? ["tasks", i, "runAfter", j] : ["tasks", i, "name"];
      at.report(
        "pipeline-cycle",
        path,
        `tasks depend on each other in a cycle: ${problem.tasks.join(" -> ")}`,
      );
    }
  }
}

type Section = "tasks" | "finally";

function checkTaskRefs(task: PipelineTask, at: Scope, tasks: Tasks, section: Section): void {
  const { name: _name, runAfter: _runAfter, ...rest } = task;
  walkReferenceStrings(rest, [], (text, path) => {
    for (const ref of scanRefs(text)) {
      if (ref.segments[0] !== "tasks") continue;
      if (ref.segments[2] === "results" && ref.segments.length >= 4) {
        checkResultRef(ref, path, at, tasks, section);
      }
    }
  });
  for (const site of pipelineTaskSites(task).sites) {
    for (const ref of scanRefs(site.text)) checkStatusRef(ref, site.path, at, tasks, section);
  }
}

function checkResultRef(
  ref: VarRef,
  path: DocPath,
  at: Scope,
  tasks: Tasks,
  section: Section,
): void {
  const [, producer = "", , result = "", key] = ref.segments;
  if (section === "finally" && tasks.finally.has(producer)) {
    at.report(
      "finally-result-ref",
      path,
      `"${ref.raw}": a finally task cannot read results of finally task "${producer}"`,
    );
    return;
  }
  if (!tasks.dag.has(producer)) {
    const why = tasks.finally.has(producer)
      ? `"${producer}" is a finally task, which runs after all tasks`
      : `there is no task "${producer}" in tasks`;
    at.report("result-ref-unknown-task", path, `"${ref.raw}": ${why}`);
    return;
  }
  checkResultDeclared(ref.raw, path, at, tasks.specOf(producer), producer, result, key);
  const task = tasks.dag.get(producer) as PipelineTask;
  if (isMatrixed(task) && path[0] === "params") checkMatrixConsumer(ref, path, at, tasks);
}

// A matrixed task's results are arrays over its runs: read whole, and made of strings.
function checkMatrixConsumer(ref: VarRef, path: DocPath, at: Scope, tasks: Tasks): void {
  const [, producer = "", , result = ""] = ref.segments;
  if (ref.index !== "*") {
    const message = `"${ref.raw}": "${producer}" runs as a matrix; read its results whole with [*]`;
    at.report("matrix-result-ref", path, message);
  }
  const declared = tasks.specOf(producer)?.results?.find((r) => r.name === result);
  const type = declared?.type ?? (declared?.properties ? "object" : "string");
  if (declared && type !== "string") {
    const message = `"${ref.raw}": results of a matrixed task must be strings; "${result}" is ${type}`;
    at.report("matrix-result-type", path, message);
  }
}

function checkResultDeclared(
  raw: string,
  path: DocPath,
  at: Scope,
  spec: TaskSpec | undefined,
  producer: string,
  result: string,
  key: string | undefined,
): void {
  if (!spec) return;
  const declared = spec.results?.find((r) => r.name === result);
  if (!declared) {
    at.report(
      "result-undeclared",
      path,
      `"${raw}": task "${producer}" declares no result "${result}"`,
    );
  } else if (key !== undefined && declared.properties && !(key in declared.properties)) {
    const message = `"${raw}": result "${result}" of task "${producer}" has no key "${key}"`;
    at.report("result-undeclared", path, message);
  }
}

function checkStatusRef(
  ref: VarRef,
  path: DocPath,
  at: Scope,
  tasks: Tasks,
  section: Section,
): void {
  const [root, name = "", what] = ref.segments;
  const aggregate = ref.segments.length === 2 && name === "status";
  const single = ref.segments.length === 3 && (what === "status" || what === "reason");
  if (root !== "tasks" || !(aggregate || single)) return;
  if (section === "tasks") {
    at.report(
      "status-outside-finally",
      path,
      `"${ref.raw}": task status can be read in finally tasks only`,
    );
  } else if (single && !tasks.dag.has(name)) {
    at.report("status-ref-unknown-task", path, `"${ref.raw}": there is no task "${name}" in tasks`);
  }
}

const VARIABLE = /\$\([_a-zA-Z0-9.-]+(\.[_a-zA-Z0-9.-]+)*(\[([0-9]+|\*)\])?\)/g;

function checkPipelineResult(result: PipelineResult, at: Scope, tasks: Tasks): void {
  const expressions: Array<[string, DocPath]> = [];
  walkReferenceStrings(result.value, ["value"], (text, path) => {
    for (const match of text.matchAll(VARIABLE)) expressions.push([match[0], path]);
  });
  if (expressions.length === 0) {
    const message = `pipeline result "${result.name}" must reference task results, such as $(tasks.<task>.results.<name>)`;
    at.report("pipeline-result-value", ["value"], message);
  }
  for (const [raw, path] of expressions) checkResultExpression(raw, path, at, tasks);
}

// A pipeline result holds `$(tasks.<t>.results.<r>)` or `$(finally.<t>.results.<r>)` only.
function checkResultExpression(raw: string, path: DocPath, at: Scope, tasks: Tasks): void {
  const [section, producer = "", results, name = "", key] = raw
    .slice(2, -1)
    .replace(/\[.*\]$/, "")
    .split(".");
  if ((section !== "tasks" && section !== "finally") || results !== "results" || !name) {
    const message = `"${raw}" is not a task result reference; pipeline results can hold only those`;
    at.report("pipeline-result-value", path, message);
    return;
  }
  const pool = section === "tasks" ? tasks.dag : tasks.finally;
  if (!pool.has(producer)) {
    at.report(
      "result-ref-unknown-task",
      path,
      `"${raw}": there is no task "${producer}" in ${section}`,
    );
    return;
  }
  checkResultDeclared(raw, path, at, tasks.specOf(producer), producer, name, key);
}

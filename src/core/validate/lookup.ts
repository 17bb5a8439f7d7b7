import type { Ref } from "../model/common.ts";
import type { PipelineSpec } from "../model/pipeline.ts";
import type { StepActionSpec, TaskSpec } from "../model/task.ts";

/** The Tasks, Pipelines and StepActions of the files at hand, by name, for refs to them. */
export interface Lookup {
  task(name: string): TaskSpec | undefined;
  pipeline(name: string): PipelineSpec | undefined;
  stepAction(name: string): StepActionSpec | undefined;
}

/** The name a ref points to when it is a plain in-namespace name (no resolver, no custom kind). */
export function localRefName(ref: Ref | undefined, kind: string): string | undefined {
  if (!ref?.name || ref.resolver || ref.params || ref.apiVersion) return undefined;
  if (ref.kind !== undefined && ref.kind !== kind) return undefined;
  return ref.name;
}

type Entry = { file: string; spec: unknown };

/**
 * Resources collected by kind and name. A ref takes the definition nearest to its own file:
 * the same file, else the one sharing the deepest folder. Examples define the same names in
 * many files, and catalogs keep one folder per version of a Task.
 */
export class ResourceIndex {
  private readonly entries = new Map<string, Entry[]>();

  add(kind: string, name: string, file: string, spec: unknown): void {
    if (!name) return;
    const key = `${kind}/${name}`;
    const list = this.entries.get(key) ?? [];
    list.push({ file, spec });
    this.entries.set(key, list);
  }

  /** The lookup for refs written in `file`. */
  from(file: string): Lookup {
    const find = (kind: string, name: string) => nearest(this.entries.get(`${kind}/${name}`), file);
    return {
      task: (name) => find("Task", name) as TaskSpec | undefined,
      pipeline: (name) => find("Pipeline", name) as PipelineSpec | undefined,
      stepAction: (name) => find("StepAction", name) as StepActionSpec | undefined,
    };
  }
}

const SAME_FILE = Number.MAX_SAFE_INTEGER;

// Equally near definitions in different files (versions of a Task side by side) leave the
// ref ambiguous: checking it against either could be wrong, so it is treated as unknown.
function nearest(entries: readonly Entry[] | undefined, file: string): unknown {
  let best: Entry[] = [];
  let bestScore = -1;
  for (const entry of entries ?? []) {
    const score = entry.file === file ? SAME_FILE : sharedFolders(entry.file, file);
    if (score > bestScore) [best, bestScore] = [[entry], score];
    else if (score === bestScore) best.push(entry);
  }
  return best.length === 1 || bestScore === SAME_FILE ? best[0]?.spec : undefined;
}

function sharedFolders(a: string, b: string): number {
  const [left, right] = [a.split(/[\\/]/).slice(0, -1), b.split(/[\\/]/).slice(0, -1)];
  let count = 0;
  while (count < left.length && left[count] === right[count]) count++;
  return count;
}

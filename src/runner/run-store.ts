import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RunEvent } from "../core/events.ts";
import { jsonRun } from "../ui/json-format.ts";
import type { Renderer } from "../ui/renderer.ts";
import type { SavedEvent } from "../ui/replay.ts";
import { taskDirOf } from "../ui/task-label.ts";

export interface RunStoreOptions {
  /** The state directory; runs go to `<stateDir>/runs/<run>/`. */
  stateDir: string;
  /** The resolved YAML of the index-th run of this session, named as it runs. */
  runYaml?: (index: number, name: string) => string | undefined;
  now?: () => Date;
  /** Told once when saving fails; the run goes on unsaved. */
  onError?: (message: string) => void;
}

/** Where the saved runs of a state directory live. */
export function runsDir(stateDir: string): string {
  return join(stateDir, "runs");
}

/**
 * Saves every run as it happens: `run.yaml`, `events.jsonl` (what `mallet logs` replays),
 * `logs/<task>/<step>.log` and, at the end, `status.json`. Events arrive already masked.
 */
export class RunStore implements Renderer {
  private dir: string | undefined;
  private index = 0;
  private readonly files = new Map<string, number>();
  /** The attempt each TaskRun is on, and the logs that already have its marker line. */
  private readonly attempts = new Map<string, number>();
  private readonly marked = new Set<string>();
  private broken = false;

  constructor(private readonly options: RunStoreOptions) {}

  // A disk that fills up or a state directory that cannot be written must not stop the
  // run: saving stops, with one warning.
  handle(event: RunEvent): void {
    if (this.broken) return;
    try {
      this.save(event);
    } catch (error) {
      this.broken = true;
      this.closeFiles();
      const reason = error instanceof Error ? error.message : String(error);
      this.options.onError?.(`this run is not saved: ${reason}`);
    }
  }

  private save(event: RunEvent): void {
    if (event.kind === "run-started") this.open(event.run);
    if (!this.dir) return;
    const time = (this.options.now?.() ?? new Date()).toISOString();
    this.append(
      join(this.dir, "events.jsonl"),
      JSON.stringify({ time, event } satisfies SavedEvent),
    );
    if (event.kind === "task-started") this.attempts.set(event.taskRun, event.attempt);
    if (event.kind === "log") this.appendLog(event);
    if (event.kind === "run-finished") this.finish(event.status);
  }

  close(): void {
    this.closeFiles();
  }

  private open(run: string): void {
    this.closeFiles();
    // A run of the same name replaces the one saved before, as a cluster allows one per name.
    this.dir = join(runsDir(this.options.stateDir), run);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(join(this.dir, "logs"), { recursive: true });
    const yaml = this.options.runYaml?.(this.index++, run);
    if (yaml !== undefined) writeFileSync(join(this.dir, "run.yaml"), yaml);
  }

  private finish(status: Extract<RunEvent, { kind: "run-finished" }>["status"]): void {
    if (!this.dir) return;
    writeFileSync(join(this.dir, "status.json"), `${JSON.stringify(jsonRun(status), null, 2)}\n`);
    this.closeFiles();
    this.dir = undefined;
  }

  // A retry's lines follow the earlier attempt's in the same file, after a marker line.
  private appendLog(event: Extract<RunEvent, { kind: "log" }>): void {
    const task = safeName(taskDirOf(event));
    const path = join(this.dir ?? "", "logs", task, `${safeName(event.step)}.log`);
    const attempt = this.attempts.get(event.taskRun) ?? 0;
    if (attempt > 0 && !this.marked.has(`${path}#${attempt}`)) {
      this.marked.add(`${path}#${attempt}`);
      this.append(path, `--- retry ${attempt} ---`);
    }
    this.append(path, event.line);
  }

  private append(path: string, line: string): void {
    let fd = this.files.get(path);
    if (fd === undefined) {
      mkdirSync(join(path, ".."), { recursive: true });
      fd = openSync(path, "a");
      this.files.set(path, fd);
    }
    writeSync(fd, `${line}\n`);
  }

  private closeFiles(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }
}

// Task and step names are Kubernetes names already; this keeps a stray one inside the folder.
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
}

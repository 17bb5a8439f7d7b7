import type { RunEvent } from "../core/events.ts";
import { toJsonRecord } from "./json-format.ts";
import type { Output, Renderer } from "./renderer.ts";

export interface JsonOptions {
  now?: () => Date;
  /** The run's name until a run-started event says it (a replay may leave that out). */
  run?: string;
}

/** `--output json`: one JSON record per event on stdout, ending with the run's whole status. */
export class JsonRenderer implements Renderer {
  private run: string;

  constructor(
    private readonly output: Output,
    private readonly options: JsonOptions = {},
  ) {
    this.run = options.run ?? "";
  }

  handle(event: RunEvent): void {
    if (event.kind === "run-started") this.run = event.run;
    const time = (this.options.now?.() ?? new Date()).toISOString();
    this.output.out(JSON.stringify(toJsonRecord(event, this.run, time)));
  }

  close(): void {}
}

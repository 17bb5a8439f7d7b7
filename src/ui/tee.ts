import type { RunEvent } from "../core/events.ts";
import type { Renderer } from "./renderer.ts";

/** Sends every event to several renderers in turn (the screen and the run store, say). */
export class TeeRenderer implements Renderer {
  constructor(private readonly renderers: readonly Renderer[]) {}

  handle(event: RunEvent): void {
    for (const renderer of this.renderers) renderer.handle(event);
  }

  async close(): Promise<void> {
    for (const renderer of this.renderers) await renderer.close();
  }
}

import { PlainRenderer } from "../ui/plain-renderer.ts";
import { processOutput, type Renderer } from "../ui/renderer.ts";

export interface RendererChoice {
  output: string | undefined;
  timestamps: boolean;
  quiet: boolean;
  verbose: boolean;
}

/** Chooses how a run is shown: the listr2 tree on a terminal, plain lines elsewhere, or JSON. */
export function selectRenderer(choice: RendererChoice): Renderer {
  return new PlainRenderer(processOutput, { timestamps: choice.timestamps, quiet: choice.quiet });
}

/** What an engine reports of an image's configuration. */
export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  user: string;
  env: string[];
}

/**
 * Tekton's entrypoint rule: with no command, the image's ENTRYPOINT (or its CMD when there is
 * no ENTRYPOINT) becomes the command and the step's args follow it.
 */
export function resolveCommand(
  command: readonly string[] | undefined,
  args: readonly string[],
  image: ImageConfig,
): string[] {
  if (command && command.length > 0) return [...command, ...args];
  const fromImage = image.entrypoint.length > 0 ? image.entrypoint : image.cmd;
  return [...fromImage, ...args];
}

/** A script without `#!` runs under `/bin/sh` with `set -e`, as Tekton writes it. */
export function scriptContent(script: string): string {
  if (script.trimStart().startsWith("#!")) return script.trimStart();
  return `#!/bin/sh\nset -e\n${script}`;
}

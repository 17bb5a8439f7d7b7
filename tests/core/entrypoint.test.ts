import { describe, expect, test } from "bun:test";
import { type ImageConfig, resolveCommand, scriptContent } from "../../src/core/task/entrypoint.ts";

function image(entrypoint: string[], cmd: string[]): ImageConfig {
  return { entrypoint, cmd, workingDir: "", user: "", env: [] };
}

describe("resolveCommand (Tekton's entrypoint rule)", () => {
  test.each<[string, string[] | undefined, string[], ImageConfig, string[]]>([
    ["the step's command and args", ["echo"], ["hi"], image(["/entry"], ["cmd"]), ["echo", "hi"]],
    [
      "no command: the image's ENTRYPOINT, then the step's args",
      undefined,
      ["--flag"],
      image(["/entry"], ["default-arg"]),
      ["/entry", "--flag"],
    ],
    [
      "no command and no ENTRYPOINT: the image's CMD, then the step's args",
      undefined,
      ["-c", "echo hi"],
      image([], ["sh"]),
      ["sh", "-c", "echo hi"],
    ],
    ["an empty command counts as none", [], ["x"], image(["/entry"], []), ["/entry", "x"]],
    [
      "no command and no args: the ENTRYPOINT alone (Tekton drops CMD)",
      undefined,
      [],
      image(["/entry"], ["default-arg"]),
      ["/entry"],
    ],
  ])("%s", (_, command, args, config, expected) => {
    expect(resolveCommand(command, args, config)).toEqual(expected);
  });
});

describe("scriptContent (shebang rule)", () => {
  test.each([
    ["echo hi", "#!/bin/sh\nset -e\necho hi"],
    ["\n  echo hi\n", "#!/bin/sh\nset -e\n\n  echo hi\n"],
    ["#!/usr/bin/env python3\nprint(1)\n", "#!/usr/bin/env python3\nprint(1)\n"],
    ["\n\n  #!/bin/bash\necho $BASH\n", "#!/bin/bash\necho $BASH\n"],
    ["# not a shebang\necho", "#!/bin/sh\nset -e\n# not a shebang\necho"],
  ])("%p → %p", (script, expected) => {
    expect(scriptContent(script)).toBe(expected);
  });
});

import { expect, test } from "bun:test";
import type { Step, StepTemplate } from "../../src/core/model/step.ts";
import { applyStepTemplate } from "../../src/core/task/step-template.ts";

const template: StepTemplate = {
  image: "alpine",
  command: ["/bin/template"],
  args: ["--from-template"],
  workingDir: "/template",
  env: [
    { name: "A", value: "template-a" },
    { name: "B", value: "template-b" },
  ],
  volumeMounts: [
    { name: "cache", mountPath: "/cache" },
    { name: "tmpl", mountPath: "/shared" },
  ],
};

test.each<[string, Step, Step]>([
  ["no overlap: the step inherits every template field", { name: "s" }, { ...template, name: "s" }],
  [
    "step fields win",
    { name: "s", image: "busybox", workingDir: "/own" },
    { ...template, name: "s", image: "busybox", workingDir: "/own" },
  ],
  [
    "env merges by name, the step's value winning",
    {
      name: "s",
      env: [
        { name: "B", value: "own-b" },
        { name: "C", value: "own-c" },
      ],
    },
    {
      ...template,
      name: "s",
      env: [
        { name: "A", value: "template-a" },
        { name: "B", value: "own-b" },
        { name: "C", value: "own-c" },
      ],
    },
  ],
  [
    "volumeMounts merge by mountPath",
    { name: "s", volumeMounts: [{ name: "own", mountPath: "/shared", readOnly: true }] },
    {
      ...template,
      name: "s",
      volumeMounts: [
        { name: "cache", mountPath: "/cache" },
        { name: "own", mountPath: "/shared", readOnly: true },
      ],
    },
  ],
  [
    "command is replaced, not concatenated",
    { name: "s", command: ["/bin/own"] },
    { ...template, name: "s", command: ["/bin/own"] },
  ],
  [
    "args are replaced, not concatenated",
    { name: "s", args: ["--own"] },
    { ...template, name: "s", args: ["--own"] },
  ],
  [
    "a script step does not inherit the template's command",
    { name: "s", script: "echo hi" },
    (({ command: _c, ...rest }) => ({ ...rest, name: "s", script: "echo hi" }))(template),
  ],
])("%s", (_, step, expected) => {
  expect(applyStepTemplate(template, step)).toEqual(expected);
});

test("without a template the step is returned as it is", () => {
  const step: Step = { name: "s", image: "alpine" };
  expect(applyStepTemplate(undefined, step)).toBe(step);
});

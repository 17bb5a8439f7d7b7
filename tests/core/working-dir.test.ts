import { expect, test } from "bun:test";
import { splitWorkingDir } from "../../src/core/task/working-dir.ts";

test.each([
  ["/workspace/src", { base: "/", missing: "workspace/src" }],
  ["/workspace/src/", { base: "/", missing: "workspace/src" }],
  ["//usr//local/app", { base: "/usr/local", missing: "app" }],
  ["/usr/local/lib/x", { base: "/usr/local", missing: "lib/x" }],
  ["/home/user/project", { base: "/home", missing: "user/project" }],
  ["/tmp/build", { base: "/tmp", missing: "build" }],
  ["/usrx/app", { base: "/", missing: "usrx/app" }],
  ["relative/dir", { base: "/", missing: "relative/dir" }],
  ["/", undefined],
  ["/tmp", undefined],
  ["/usr/local/", undefined],
])("%p → %p", (workingDir, expected) => {
  expect(splitWorkingDir(workingDir)).toEqual(expected);
});

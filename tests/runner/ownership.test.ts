import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { invokingUser, restoreOwnership, strayEntries } from "../../src/runner/ownership.ts";
import { FakeEngine } from "../helpers/fake-engine.ts";

test.each([
  ["a user runs it", {}, { uid: 1000, gid: 1000 }, { uid: 1000, gid: 1000 }],
  ["root runs it", {}, { uid: 0, gid: 0 }, { uid: 0, gid: 0 }],
  [
    "sudo runs it",
    { SUDO_UID: "1001", SUDO_GID: "1002" },
    { uid: 0, gid: 0 },
    { uid: 1001, gid: 1002 },
  ],
  // SUDO_UID left in the environment of a user's own process means nothing.
  [
    "a user with SUDO_UID set",
    { SUDO_UID: "5", SUDO_GID: "5" },
    { uid: 1000, gid: 1000 },
    { uid: 1000, gid: 1000 },
  ],
  ["sudo without SUDO_GID", { SUDO_UID: "1001" }, { uid: 0, gid: 0 }, { uid: 0, gid: 0 }],
])("invokingUser: %s", (_, env, self, expected) => {
  expect(invokingUser(env, self)).toEqual(expected);
});

const asRoot = process.getuid?.() === 0;

describe.if(asRoot)("files a run created for someone else", () => {
  let root: string;
  let outside: string;
  const user = { uid: 4242, gid: 4343 };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "mallet-own-"));
    outside = mkdtempSync(join(tmpdir(), "mallet-outside-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  /**
   * A workspace as a step leaves it: root's files and a link out of it, next to a root file
   * from before the run. Resolves with the run's start, past the clock slack after that file.
   */
  async function makeTree(): Promise<number> {
    chownSync(root, user.uid, user.gid);
    writeFileSync(join(root, "old.txt"), "there before the run");
    chownSync(join(root, "old.txt"), 0, 0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const since = Date.now();
    mkdirSync(join(root, "build/out"), { recursive: true });
    writeFileSync(join(root, "build/out/app"), "built");
    writeFileSync(join(outside, "secret"), "not in the tree");
    symlinkSync(outside, join(root, "build/escape"));
    return since;
  }

  test("strayEntries lists what root made during the run, links themselves, never their targets", async () => {
    const since = await makeTree();
    const stray = strayEntries(root, user, since);
    expect(stray.paths.sort()).toEqual(["build", "build/escape", "build/out", "build/out/app"]);
    expect(stray.unread).toEqual([]);
  });

  test("restoreOwnership gives them to the user, and leaves older files and link targets alone", async () => {
    const since = await makeTree();
    const engine = new FakeEngine();
    await restoreOwnership(engine, {
      trees: [root],
      sinceMs: since,
      image: "busybox",
      owner: user,
    });
    for (const path of ["build", "build/out", "build/out/app", "build/escape"]) {
      const stats = lstatSync(join(root, path));
      expect({ path, uid: stats.uid, gid: stats.gid }).toEqual({ path, ...user });
    }
    expect(lstatSync(join(root, "old.txt")).uid).toBe(0);
    expect(lstatSync(join(outside, "secret")).uid).toBe(0);
    expect(lstatSync(outside).uid).toBe(0);
    // As root, Mallet changes owners itself; the engine is not asked.
    expect(engine.trace()).toEqual([]);
  });

  test("nothing is changed for root, who can remove anything", async () => {
    await makeTree();
    const owner = { uid: 0, gid: 0 };
    await restoreOwnership(new FakeEngine(), { trees: [root], sinceMs: 0, image: "x", owner });
    expect(lstatSync(join(root, "build/out/app")).uid).toBe(0);
  });
});

import { expect, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { helperElf, helperPath } from "../../src/backend/helper-binaries.ts";

test.each([
  ["x64", "pause", 0x3e, 129],
  ["x64", "exit0", 0x3e, 129],
  ["arm64", "pause", 0xb7, 148],
  ["arm64", "exit0", 0xb7, 132],
] as const)("helperElf: %s %s is a static ELF executable", (arch, program, machine, size) => {
  const elf = helperElf(program, arch);
  expect(elf.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  expect(elf.readUInt16LE(16)).toBe(2);
  expect(elf.readUInt16LE(18)).toBe(machine);
  expect(Number(elf.readBigUInt64LE(24))).toBe(0x400078);
  expect(elf.length).toBe(size);
});

test("helperElf refuses an architecture it has no code for", () => {
  expect(() => helperElf("pause", "s390x")).toThrow("no helper program for the s390x architecture");
});

test.if(process.arch === "x64" || process.arch === "arm64")(
  "on this host, exit0 exits 0 and pause runs until killed",
  async () => {
    const exit0 = helperPath("exit0");
    expect(statSync(exit0).mode & 0o777).toBe(0o755);
    expect(spawnSync(exit0).status).toBe(0);

    const pause = spawn(helperPath("pause"));
    const ended = new Promise<string | null>((done) =>
      pause.on("exit", (_, signal) => done(signal)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pause.exitCode).toBeNull();
    pause.kill("SIGKILL");
    expect(await ended).toBe("SIGKILL");
  },
);

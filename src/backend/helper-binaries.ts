import { createHash } from "node:crypto";
import { chmodSync, existsSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Two tiny static programs that run in any image, even one without a shell or libc:
 * `pause` blocks until killed (the network holder of a docker "pod"), `exit0` exits at once
 * (the doctor's probe). They are bind-mounted into a container, so no image is built or pulled.
 */
export type HelperProgram = "pause" | "exit0";

// Machine code, one loop or one exit, assembled by hand (checked with llvm-mc):
// x86-64 pause: `mov eax, 34 (pause); syscall; jmp back`; exit0: `mov eax, 60 (exit);
// xor edi, edi; syscall`. arm64 has no pause(2): `ppoll(NULL, 0, NULL, NULL)` with no
// timeout blocks forever; exit0 is `mov x0, #0; mov x8, #93 (exit); svc #0`.
const CODE: Record<"x64" | "arm64", { machine: number } & Record<HelperProgram, string>> = {
  x64: { machine: 0x3e, pause: "b8220000000f05ebf7", exit0: "b83c00000031ff0f05" },
  arm64: {
    machine: 0xb7,
    pause: "000080d2010080d2020080d2030080d2280980d2010000d4faffff17",
    exit0: "000080d2a80b80d2010000d4",
  },
};

const BASE = 0x400000;
const HEADER = 64;
const PROGRAM_HEADER = 56;

/** A minimal static ELF executable: one loadable segment holding the header and the code. */
export function helperElf(program: HelperProgram, arch: string = process.arch): Buffer {
  const spec = CODE[arch as "x64" | "arm64"];
  if (!spec) throw new Error(`no helper program for the ${arch} architecture`);
  const code = Buffer.from(spec[program], "hex");
  const size = HEADER + PROGRAM_HEADER + code.length;
  const elf = Buffer.alloc(size);
  elf.write("\x7fELF", 0, "latin1");
  elf.set([2, 1, 1], 4); // 64-bit, little-endian, ELF version 1
  elf.writeUInt16LE(2, 16); // executable
  elf.writeUInt16LE(spec.machine, 18);
  elf.writeUInt32LE(1, 20);
  elf.writeBigUInt64LE(BigInt(BASE + HEADER + PROGRAM_HEADER), 24); // entry point
  elf.writeBigUInt64LE(BigInt(HEADER), 32); // program headers follow the ELF header
  elf.writeUInt16LE(HEADER, 52);
  elf.writeUInt16LE(PROGRAM_HEADER, 54);
  elf.writeUInt16LE(1, 56);
  elf.writeUInt32LE(1, 64); // PT_LOAD
  elf.writeUInt32LE(5, 68); // readable and executable
  elf.writeBigUInt64LE(BigInt(BASE), 80); // virtual address
  elf.writeBigUInt64LE(BigInt(BASE), 88); // physical address
  elf.writeBigUInt64LE(BigInt(size), 96); // size in the file
  elf.writeBigUInt64LE(BigInt(size), 104); // size in memory
  elf.writeBigUInt64LE(0x1000n, 112); // alignment
  code.copy(elf, HEADER + PROGRAM_HEADER);
  return elf;
}

/**
 * Writes the program once to the temporary directory (named by its content, so concurrent
 * runs share it and a changed program gets a new file) and returns its path.
 */
export function helperPath(program: HelperProgram): string {
  const elf = helperElf(program);
  const hash = createHash("sha256").update(elf).digest("hex").slice(0, 12);
  const path = join(tmpdir(), `mallet-${program}-${hash}`);
  if (existsSync(path)) return path;
  const partial = `${path}.${process.pid}`;
  writeFileSync(partial, elf, { mode: 0o755 });
  chmodSync(partial, 0o755);
  renameSync(partial, path);
  return path;
}

/** Where a helper program is mounted inside a container. */
export function helperTarget(program: HelperProgram): string {
  return `/.mallet/${program}`;
}

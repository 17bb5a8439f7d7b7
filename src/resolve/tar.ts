/** Just enough of tar to read a Tekton bundle layer: the first regular file of an archive. */

const BLOCK = 512;
const REGULAR = new Set(["0", "\0", "7"]);

/** The first regular file in a tar archive; undefined when the bytes are no tar archive. */
export function firstTarFile(bytes: Uint8Array): Buffer | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + BLOCK <= data.length) {
    const header = data.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    if (!checksumMatches(header)) return undefined;
    const size = readOctal(header.subarray(124, 136));
    const start = offset + BLOCK;
    if (size === undefined || start + size > data.length) return undefined;
    if (REGULAR.has(String.fromCharCode(header[156] ?? 0)))
      return data.subarray(start, start + size);
    // Directories, links and pax or GNU extension headers come before the file: skip them.
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}

function readOctal(field: Buffer): number | undefined {
  const text = field.toString("latin1").replace(/\0.*$/s, "").trim();
  if (!/^[0-7]+$/.test(text)) return undefined;
  return Number.parseInt(text, 8);
}

// The checksum is the byte sum of the header with its own field counted as spaces.
function checksumMatches(header: Buffer): boolean {
  const stored = readOctal(header.subarray(148, 156));
  if (stored === undefined) return false;
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) {
    sum += index >= 148 && index < 156 ? 32 : (header[index] as number);
  }
  return sum === stored;
}

import { expect, test } from "bun:test";
import { LineSplitter, MAX_LINE_CHARS } from "../../src/runner/line-splitter.ts";

function split(chunks: Array<string | Buffer>): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.flush();
  return lines;
}

test.each([
  ["whole lines", ["a\nb\n"], ["a", "b"]],
  ["a line across chunks", ["he", "llo\nwor", "ld"], ["hello", "world"]],
  ["CRLF endings", ["a\r\nb\r\n"], ["a", "b"]],
  ["an empty line", ["\n"], [""]],
  [
    "a UTF-8 character split between chunks",
    [Buffer.from([0x63, 0x61, 0x66, 0xc3]), Buffer.from([0xa9, 0x0a])],
    ["café"],
  ],
])("%s", (_, chunks, expected) => {
  expect(split(chunks)).toEqual(expected);
});

test("output without a newline is cut into lines of at most MAX_LINE_CHARS", () => {
  const chunk = "x".repeat(10_000);
  const lines = split(Array.from({ length: 20 }, () => chunk));
  expect(lines.map((line) => line.length)).toEqual([
    MAX_LINE_CHARS,
    MAX_LINE_CHARS,
    MAX_LINE_CHARS,
    200_000 - 3 * MAX_LINE_CHARS,
  ]);
});

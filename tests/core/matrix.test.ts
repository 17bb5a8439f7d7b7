import { describe, expect, test } from "bun:test";
import type { ParamValue } from "../../src/core/model/common.ts";
import type { Matrix } from "../../src/core/model/pipeline.ts";
import {
  aggregateMatrixResults,
  expandMatrix,
  hasEmptyMatrixParam,
} from "../../src/core/pipeline/matrix.ts";

// Each combination written as "name=value,name=value" for a table that reads at a glance.
function combos(matrix: Matrix): string[] {
  return expandMatrix(matrix).map((combo) =>
    combo.params.map((param) => `${param.name}=${String(param.value)}`).join(","),
  );
}

describe("expandMatrix", () => {
  test.each<[string, Matrix, string[]]>([
    [
      "cartesian product: the first param varies fastest",
      {
        params: [
          { name: "os", value: ["linux", "mac"] },
          { name: "arch", value: ["amd64", "arm64", "s390x"] },
        ],
      },
      [
        "os=linux,arch=amd64",
        "os=mac,arch=amd64",
        "os=linux,arch=arm64",
        "os=mac,arch=arm64",
        "os=linux,arch=s390x",
        "os=mac,arch=s390x",
      ],
    ],
    ["one param", { params: [{ name: "v", value: ["1", "2"] }] }, ["v=1", "v=2"]],
    [
      "include merges extra params into every combination it matches",
      {
        params: [
          { name: "os", value: ["linux", "mac"] },
          { name: "arch", value: ["amd64", "arm64"] },
        ],
        include: [
          {
            params: [
              { name: "arch", value: "arm64" },
              { name: "flags", value: "-v" },
            ],
          },
        ],
      },
      [
        "os=linux,arch=amd64",
        "os=mac,arch=amd64",
        "os=linux,arch=arm64,flags=-v",
        "os=mac,arch=arm64,flags=-v",
      ],
    ],
    [
      "include with only new params adds them to every combination",
      {
        params: [{ name: "os", value: ["linux", "mac"] }],
        include: [{ params: [{ name: "go", value: "1.22" }] }],
      },
      ["os=linux,go=1.22", "os=mac,go=1.22"],
    ],
    [
      "include matching no combination is appended as a new one",
      {
        params: [{ name: "os", value: ["linux"] }],
        include: [
          {
            name: "win",
            params: [
              { name: "os", value: "windows" },
              { name: "ext", value: ".exe" },
            ],
          },
        ],
      },
      ["os=linux", "os=windows,ext=.exe"],
    ],
    [
      "Tekton's documented example: includes merge where they fit, a new value is appended",
      {
        params: [
          { name: "GOARCH", value: ["amd64", "s390x"] },
          { name: "version", value: ["go1.17", "go1.18"] },
        ],
        include: [
          { name: "common", params: [{ name: "package", value: "common/" }] },
          {
            name: "no-race",
            params: [
              { name: "GOARCH", value: "s390x" },
              { name: "flags", value: "-v" },
            ],
          },
          {
            name: "ctx",
            params: [
              { name: "version", value: "go1.17" },
              { name: "context", value: "ctx/" },
            ],
          },
          { name: "odd", params: [{ name: "GOARCH", value: "riscv" }] },
        ],
      },
      [
        "GOARCH=amd64,version=go1.17,package=common/,context=ctx/",
        "GOARCH=s390x,version=go1.17,package=common/,flags=-v,context=ctx/",
        "GOARCH=amd64,version=go1.18,package=common/",
        "GOARCH=s390x,version=go1.18,package=common/,flags=-v",
        "GOARCH=riscv",
      ],
    ],
    [
      "an include that contradicts every combination but shares a value is dropped, as Tekton does",
      {
        params: [
          { name: "os", value: ["linux"] },
          { name: "arch", value: ["amd64"] },
        ],
        include: [
          {
            params: [
              { name: "os", value: "linux" },
              { name: "arch", value: "arm64" },
            ],
          },
        ],
      },
      ["os=linux,arch=amd64"],
    ],
    [
      "an include contradicting a value an earlier include added is appended, not merged",
      {
        params: [{ name: "os", value: ["linux"] }],
        include: [
          { params: [{ name: "flags", value: "-a" }] },
          {
            params: [
              { name: "flags", value: "-b" },
              { name: "extra", value: "x" },
            ],
          },
        ],
      },
      ["os=linux,flags=-a", "flags=-b,extra=x"],
    ],
    [
      "include alone (no params) gives one combination per entry",
      {
        include: [
          { params: [{ name: "img", value: "a" }] },
          {
            params: [
              { name: "img", value: "b" },
              { name: "tag", value: "t" },
            ],
          },
        ],
      },
      ["img=a", "img=b,tag=t"],
    ],
  ])("%s", (_, matrix, expected) => {
    expect(combos(matrix)).toEqual(expected);
  });

  test("an empty param gives no combinations", () => {
    expect(
      combos({
        params: [
          { name: "os", value: [] },
          { name: "arch", value: ["x"] },
        ],
      }),
    ).toEqual([]);
  });
});

test.each<[Matrix | undefined, boolean]>([
  [undefined, false],
  [{ params: [{ name: "a", value: ["x"] }] }, false],
  [
    {
      params: [
        { name: "a", value: ["x"] },
        { name: "b", value: [] },
      ],
    },
    true,
  ],
  [{ include: [{ params: [{ name: "a", value: "x" }] }] }, false],
])("hasEmptyMatrixParam(%p) is %p", (matrix, expected) => {
  expect(hasEmptyMatrixParam(matrix)).toBe(expected);
});

test("string results of the fanned-out TaskRuns become arrays, in combination order", () => {
  const runs = [
    new Map<string, ParamValue>([
      ["digest", "sha1"],
      ["list", ["x"]],
    ]),
    new Map<string, ParamValue>(),
    new Map<string, ParamValue>([["digest", "sha3"]]),
  ];
  expect(aggregateMatrixResults(runs)).toEqual(new Map([["digest", ["sha1", "sha3"]]]));
});

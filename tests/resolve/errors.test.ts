import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Catalog } from "../../src/core/catalog.ts";
import { decodeDocument } from "../../src/core/load/decode.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import type {
  PipelineRunResource,
  Resource,
  TaskRunResource,
} from "../../src/core/model/resources.ts";
import { resolveRemoteRefs } from "../../src/resolve/index.ts";
import { mallet } from "../helpers/mallet.ts";
import { git, type Started, serveFiles, serveGit } from "./servers.ts";

// What a user sees when resolution fails: one line naming the ref's place in the input, the
// resolver and its params, and the reason. No run starts, so these need no containers.

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
spec:
  steps: [{image: localhost/standin/busybox, script: "true"}]
`;
const USER = { username: "u", password: "p" };

const dir = mkdtempSync(join(tmpdir(), "mallet-resolve-errors-"));
const files = new Map<string, string>([
  ["/t.yaml", TASK],
  ["/private/t.yaml", TASK],
  ["/bad.yaml", "apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: b}\nspec:\n  stepz: []\n"],
  ["/big.yaml", `${TASK}# ${"x".repeat(200)}\n`],
]);
let http: Started;
let gitServer: Started;
let url = "";

beforeAll(() => {
  http = serveFiles(files, USER);
  gitServer = serveGit(join(dir, "repos"), "secret-token");
  url = http.url;
  const work = join(dir, "work");
  mkdirSync(work, { recursive: true });
  git(work, "init", "--quiet", "--initial-branch=main");
  writeFileSync(join(work, "t.yaml"), TASK);
  git(work, "add", ".");
  git(work, "commit", "--quiet", "-m", "t");
  git(dir, "clone", "--quiet", "--bare", work, join(dir, "repos", "r.git"));
});

afterAll(async () => {
  await Promise.all([http.stop(), gitServer.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A TaskRun whose taskRef uses `resolver` with `params` (name: value). */
function taskRun(resolver: string, params: Record<string, string>, extra = ""): string {
  const lines = Object.entries(params).map(([n, v]) => `      - {name: ${n}, value: "${v}"}`);
  return `${extra}apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: tr}
spec:
  taskRef:
    resolver: ${resolver}
    params:
${lines.join("\n")}
`;
}

async function stderrOf(yaml: string, ...flags: string[]): Promise<string> {
  const result = await mallet(["run", "-", ...flags], {
    stdin: yaml,
    env: { MALLET_CACHE_DIR: join(dir, "cache") },
  });
  expect(result.exitCode).toBe(2);
  return result.stderr;
}

describe("errors name the ref, the resolver and its params", () => {
  test("a wrong digest", async () => {
    const zeros = "0".repeat(64);
    const yaml = taskRun("http", { url: `${url}/t.yaml`, digest: `sha256:${zeros}` });
    const actual = new Bun.CryptoHasher("sha256").update(TASK).digest("hex");
    expect(await stderrOf(yaml)).toBe(
      `mallet: <stdin>:5:3: http resolver (url=${url}/t.yaml, digest=sha256:${zeros}): ` +
        `sha256 digest is ${actual}, not ${zeros} as the digest param says\n`,
    );
  });

  test("a server that wants basic auth", async () => {
    expect(await stderrOf(taskRun("http", { url: `${url}/private/t.yaml` }))).toBe(
      `mallet: <stdin>:5:3: http resolver (url=${url}/private/t.yaml): ` +
        `GET ${url}/private/t.yaml answered 401 (unauthorized)\n`,
    );
  });

  test("a password Secret missing from the input", async () => {
    const params = {
      url: `${url}/private/t.yaml`,
      "http-username": "u",
      "http-password-secret": "creds",
    };
    expect(await stderrOf(taskRun("http", params))).toEndWith(
      ', http-password-secret=creds): Secret "creds" is not in the input or --resources\n',
    );
  });

  test("an answer that is not a valid Task points into the answer", async () => {
    expect(await stderrOf(taskRun("http", { url: `${url}/bad.yaml` }))).toBe(
      `mallet: <stdin>:5:3: http resolver (url=${url}/bad.yaml):4:1: ` +
        'missing field "spec.steps"\n',
    );
  });

  test("a Task where a Pipeline is expected", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pr}
spec:
  pipelineRef:
    resolver: http
    params: [{name: url, value: "${url}/t.yaml"}]
`;
    expect(await stderrOf(yaml)).toBe(
      `mallet: <stdin>:5:3: http resolver (url=${url}/t.yaml): ` +
        'answered a Task "t" where a Pipeline is expected\n',
    );
  });

  test("a private git repository without a token", async () => {
    const params = { url: `${gitServer.url}/private/r.git`, pathInRepo: "t.yaml" };
    const stderr = await stderrOf(taskRun("git", params));
    expect(stderr).toStartWith(
      `mallet: <stdin>:5:3: git resolver (url=${gitServer.url}/private/r.git, pathInRepo=t.yaml): git fetch failed: `,
    );
    expect(stderr).toContain("Authentication failed");
  });

  test("a path that is not in the repository", async () => {
    const params = {
      url: `${gitServer.url}/public/r.git`,
      revision: "main",
      pathInRepo: "no.yaml",
    };
    expect(await stderrOf(taskRun("git", params))).toEndWith(
      ': "no.yaml" is not a file at revision main\n',
    );
  });

  test("bad params, before anything is fetched", async () => {
    expect(await stderrOf(taskRun("git", { url: "file:///nowhere" }))).toBe(
      "mallet: <stdin>:5:3: git resolver (url=file:///nowhere): " +
        'missing required git resolver param "pathInRepo"\n',
    );
  });

  test("an unknown resolver", async () => {
    expect(await stderrOf(taskRun("s3", { bucket: "b" }))).toBe(
      "mallet: <stdin>:5:3: s3 resolver (bucket=b): " +
        "mallet knows the git, http, hub, bundles and cluster resolvers\n",
    );
  });

  test("a step ref naming a Task param cannot be resolved before the run", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: tr}
spec:
  taskSpec:
    params: [{name: file}]
    steps:
      - ref:
          resolver: http
          params: [{name: url, value: "${url}/$(params.file)"}]
`;
    // --no-validate: the run's own check would stop first at the missing param "file".
    expect(await stderrOf(yaml, "--no-validate")).toBe(
      `mallet: <stdin>:8:9: http resolver: param "url" refers to ${url}/$(params.file), ` +
        "unknown before the run\n",
    );
  });
});

test("a pipeline param the run does not give is reported as the run would report it", async () => {
  const yaml = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: pr}
spec:
  pipelineSpec:
    params: [{name: revision}]
    tasks:
      - name: t
        taskRef:
          resolver: git
          params:
            - {name: url, value: "file:///nowhere"}
            - {name: revision, value: $(params.revision)}
            - {name: pathInRepo, value: t.yaml}
`;
  // --no-validate: the resolver pre-pass, not the validation gate, is under test here.
  expect(await stderrOf(yaml, "--no-validate")).toBe(
    'mallet: <stdin>:4:1: missing value for param "revision"\n',
  );
});

describe("--offline", () => {
  test("lists every request missing from the cache, with where it is made", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: tr}
spec:
  taskSpec:
    steps:
      - ref:
          resolver: http
          params: [{name: url, value: "${url}/a.yaml"}]
      - ref:
          resolver: hub
          params: [{name: name, value: x}, {name: version, value: "1"}, {name: cache, value: never}]
`;
    const empty = join(dir, "empty-cache");
    const result = await mallet(["run", "-", "--offline"], {
      stdin: yaml,
      env: { MALLET_CACHE_DIR: empty },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `mallet: --offline: not in the cache (${empty}):\n` +
        `  <stdin>:7:9: http resolver (url=${url}/a.yaml)\n` +
        "  <stdin>:10:9: hub resolver (name=x, version=1, cache=never) (cache: never)\n",
    );
  });
});

/** What a promise rejected with; fails the test when it resolves. */
async function caught(run: () => Promise<unknown>): Promise<Error | undefined> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("limits and the cache, through the pre-pass itself", () => {
  function load(yaml: string) {
    const resources = parseYamlDocuments(yaml, "in.yaml").map((d) => decodeDocument(d) as Resource);
    const runs = resources.filter((r) => r.kind === "TaskRun" || r.kind === "PipelineRun");
    return {
      runs: runs as Array<TaskRunResource | PipelineRunResource>,
      catalog: new Catalog(resources),
    };
  }

  test("a request over the timeout fails with Tekton's one-minute rule, here shortened", async () => {
    const { runs, catalog } = load(taskRun("http", { url: `${url}/hang` }));
    const error = await caught(() =>
      resolveRemoteRefs(runs, catalog, {
        offline: false,
        cacheDir: join(dir, "c1"),
        timeoutMs: 300,
      }),
    );
    expect(error?.message).toBe(
      `http resolver (url=${url}/hang): resolution took longer than 300ms`,
    );
  });

  test("an answer over the size limit is refused", async () => {
    const { runs, catalog } = load(taskRun("http", { url: `${url}/big.yaml` }));
    const error = await caught(() =>
      resolveRemoteRefs(runs, catalog, {
        offline: false,
        cacheDir: join(dir, "c2"),
        maxBytes: 200,
      }),
    );
    expect(error?.message).toEndWith(
      `${url}/big.yaml is larger than the limit of ${200 / 1024 / 1024} MiB`,
    );
  });

  test("online, a digest-pinned answer comes from the cache; an unpinned one is fetched", async () => {
    const cacheDir = join(dir, "c3");
    const digest = new Bun.CryptoHasher("sha256").update(TASK).digest("hex");
    const pinned = taskRun("http", { url: `${url}/t.yaml`, digest: `sha256:${digest}` });
    const unpinned = taskRun("http", { url: `${url}/t.yaml` });
    for (const yaml of [pinned, unpinned]) {
      const { runs, catalog } = load(yaml);
      await resolveRemoteRefs(runs, catalog, { offline: false, cacheDir });
    }
    files.delete("/t.yaml");
    try {
      const first = load(pinned);
      await resolveRemoteRefs(first.runs, first.catalog, { offline: false, cacheDir });
      const run = first.runs[0] as TaskRunResource;
      expect(first.catalog.resolvedRef(run.spec.taskRef ?? {})?.name).toBe("t");
      const second = load(unpinned);
      const error = await caught(() =>
        resolveRemoteRefs(second.runs, second.catalog, { offline: false, cacheDir }),
      );
      expect(error?.message).toEndWith("answered 404 (not found)");
    } finally {
      files.set("/t.yaml", TASK);
    }
  });
});

import { describe, expect, test } from "bun:test";
import { Catalog } from "../../src/core/catalog.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import { decodeDocument } from "../../src/core/load/decode.ts";
import type { Resource } from "../../src/core/model/resources.ts";
import { findBundleLayer, parseBundleParams } from "../../src/resolve/bundles.ts";
import { parseClusterParams, resolveCluster } from "../../src/resolve/cluster.ts";
import {
  catFileArgs,
  fullFetchArgs,
  gitEnv,
  isCommit,
  parseGitParams,
  shallowFetchArgs,
} from "../../src/resolve/git.ts";
import { digestMismatch, parseDigest, parseHttpParams } from "../../src/resolve/http.ts";
import {
  hubVersion,
  hubVersionsUrl,
  hubYamlUrl,
  parseHubParams,
  readHubVersions,
  readHubYaml,
} from "../../src/resolve/hub.ts";
import {
  parseChallenge,
  parseImageRef,
  registryBase,
  registryCredentials,
} from "../../src/resolve/oci-registry.ts";
import type { ResolutionRequest } from "../../src/resolve/request-key.ts";

const request = (resolver: string, params: Record<string, string>): ResolutionRequest => ({
  resolver,
  params,
});
const git = (params: Record<string, string>) => request("git", params);
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("git params", () => {
  test.each([
    [
      "url, revision and path",
      { url: "https://h/r.git", revision: "v1", pathInRepo: "task/t.yaml" },
      { url: "https://h/r.git", revision: "v1", pathInRepo: "task/t.yaml", token: undefined },
    ],
    [
      "Tekton's default revision and a leading ./",
      { url: "file:///r", pathInRepo: "./t.yaml" },
      { url: "file:///r", revision: "main", pathInRepo: "t.yaml", token: undefined },
    ],
    [
      "org and repo on github.com",
      { org: "tektoncd", repo: "catalog", pathInRepo: "t.yaml", token: "s" },
      {
        url: "https://github.com/tektoncd/catalog.git",
        revision: "main",
        pathInRepo: "t.yaml",
        token: { secret: "s", key: "token" },
      },
    ],
    [
      "org and repo on a server, with the clone token preferred",
      {
        org: "o",
        repo: "r.git",
        serverURL: "https://git.example/",
        pathInRepo: "t.yaml",
        token: "api",
        gitToken: "clone",
        gitTokenKey: "pat",
      },
      {
        url: "https://git.example/o/r.git",
        revision: "main",
        pathInRepo: "t.yaml",
        token: { secret: "clone", key: "pat" },
      },
    ],
  ])("%s", (_name, params, expected) => {
    expect(parseGitParams(git(params))).toEqual(expected);
  });

  test.each([
    [{ pathInRepo: "t.yaml" }, 'missing required git resolver param "url" or "repo"'],
    [
      { url: "u", repo: "r", pathInRepo: "t" },
      'give either "url" or "repo" (with "org"), not both',
    ],
    [{ url: "u" }, 'missing required git resolver param "pathInRepo"'],
    [{ repo: "r", pathInRepo: "t" }, 'missing required git resolver param "org"'],
    [{ url: "u", pathInRepo: "../etc/passwd" }, "must stay inside the repository"],
  ])("rejects %j", (params, message) => {
    expect(() => parseGitParams(git(params))).toThrow(message);
  });

  test("only a full commit SHA is immutable", () => {
    expect([SHA, "main", "v1.0", SHA.slice(0, 12), "a".repeat(64)].map(isCommit)).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
  });

  test("the git commands are argv arrays, the URL after --", () => {
    const source = parseGitParams(git({ url: "-u", revision: "main", pathInRepo: "t.yaml" }));
    expect(shallowFetchArgs("/d", source)).toEqual([
      "git",
      "-C",
      "/d",
      "fetch",
      "--quiet",
      "--no-tags",
      "--depth",
      "1",
      "--",
      "-u",
      "main",
    ]);
    expect(fullFetchArgs("/d", source)).toEqual([
      "git",
      "-C",
      "/d",
      "fetch",
      "--quiet",
      "--no-tags",
      "--",
      "-u",
      "+refs/heads/*:refs/remotes/origin/*",
      "+refs/tags/*:refs/tags/*",
    ]);
    expect(catFileArgs("/d", "FETCH_HEAD", "t.yaml")).toEqual([
      "git",
      "-C",
      "/d",
      "cat-file",
      "blob",
      "FETCH_HEAD:t.yaml",
    ]);
  });

  test("a token travels in git's environment as a basic auth header, never in argv", () => {
    expect(gitEnv(undefined)).toEqual({ GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true" });
    expect(gitEnv("s3cret")).toEqual({
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "true",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${btoa("git:s3cret")}`,
    });
  });
});

describe("http params", () => {
  const sha256 = "a".repeat(64);
  test.each([
    [
      "a URL alone",
      { url: "https://h/t.yaml" },
      { url: "https://h/t.yaml", auth: undefined, digest: undefined },
    ],
    [
      "basic auth with the default key, and a digest",
      {
        url: "http://h/t.yaml",
        "http-username": "u",
        "http-password-secret": "s",
        digest: `sha256:${sha256.toUpperCase()}`,
      },
      {
        url: "http://h/t.yaml",
        auth: { username: "u", secret: "s", key: "password" },
        digest: { algorithm: "sha256", hex: sha256 },
      },
    ],
  ])("%s", (_name, params, expected) => {
    expect(parseHttpParams(request("http", params))).toEqual(expected as never);
  });

  test.each([
    [{}, 'missing required http resolver param "url"'],
    [{ url: "ftp://h/t" }, 'url "ftp://h/t" must be an http or https URL'],
    [
      { url: "https://h", "http-username": "u" },
      '"http-username" and "http-password-secret" go together',
    ],
    [
      { url: "https://h", digest: "md5:abc" },
      'digest "md5:abc" must start with sha256: or sha512:',
    ],
    [{ url: "https://h", digest: "sha512:abc" }, 'digest "sha512:abc" needs 128 hex digits'],
  ])("rejects %j", (params, message) => {
    expect(() => parseHttpParams(request("http", params))).toThrow(message);
  });

  test("the digest check compares sha256 and sha512 of the exact bytes", () => {
    const bytes = new TextEncoder().encode("kind: Task\n");
    const good256 = parseDigest(
      `sha256:${new Bun.CryptoHasher("sha256").update(bytes).digest("hex")}`,
    );
    const good512 = parseDigest(
      `sha512:${new Bun.CryptoHasher("sha512").update(bytes).digest("hex")}`,
    );
    expect(digestMismatch(bytes, good256)).toBeUndefined();
    expect(digestMismatch(bytes, good512)).toBeUndefined();
    expect(digestMismatch(bytes, { algorithm: "sha256", hex: sha256 })).toBe(
      `sha256 digest is ${good256.hex}, not ${sha256} as the digest param says`,
    );
  });
});

describe("hub params", () => {
  const env = {};
  test.each([
    [
      "Tekton's defaults: Artifact Hub, task, the task catalog",
      { name: "git-clone", version: "0.9" },
      {
        type: "artifact",
        kind: "task",
        catalog: "tekton-catalog-tasks",
        name: "git-clone",
        version: "0.9",
        baseUrl: "https://artifacthub.io",
      },
    ],
    [
      "a pipeline from a private hub given by url",
      { name: "p", version: "1.0.0", kind: "pipeline", url: "http://127.0.0.1:9/" },
      {
        type: "artifact",
        kind: "pipeline",
        catalog: "tekton-catalog-pipelines",
        name: "p",
        version: "1.0.0",
        baseUrl: "http://127.0.0.1:9",
      },
    ],
    [
      "Tekton Hub with its default catalog",
      { name: "t", version: "0.1", type: "tekton", url: "https://api.hub" },
      {
        type: "tekton",
        kind: "task",
        catalog: "Tekton",
        name: "t",
        version: "0.1",
        baseUrl: "https://api.hub",
      },
    ],
  ])("%s", (_name, params, expected) => {
    expect(parseHubParams(request("hub", params), env)).toEqual(expected as never);
  });

  test("the environment names the hub when the params do not", () => {
    const parsed = parseHubParams(request("hub", { name: "t", version: "1", type: "tekton" }), {
      TEKTON_HUB_API: "https://th.example",
    });
    expect(parsed.baseUrl).toBe("https://th.example");
  });

  test.each([
    [{ version: "1" }, 'missing required hub resolver param "name"'],
    [{ name: "t" }, 'missing required hub resolver param "version"'],
    [
      { name: "t", version: "1", type: "gitlab" },
      'type param must be artifact or tekton, not "gitlab"',
    ],
    [
      { name: "t", version: "1", kind: "cluster" },
      "kind param must be one of task, pipeline, stepaction",
    ],
    [{ name: "t", version: "1", kind: "stepaction" }, "kind stepaction has no default catalog"],
    [
      { name: "t", version: "1", type: "tekton" },
      'type tekton needs the "url" param or TEKTON_HUB_API',
    ],
    [{ name: "t", version: "1", url: "ftp://x" }, 'hub URL "ftp://x" must be an http or https URL'],
  ])("rejects %j", (params, message) => {
    expect(() => parseHubParams(request("hub", params), env)).toThrow(message);
  });

  test.each([
    ["0.9", "artifact", "0.9.0"],
    ["0.9.1", "artifact", "0.9.1"],
    ["0.9.1", "tekton", "0.9"],
    ["0.9", "tekton", "0.9"],
  ] as const)("version %s for %s hub is %s", (version, type, expected) => {
    expect(hubVersion(version, type)).toBe(expected);
  });

  test("API URLs follow each hub's layout", () => {
    const artifact = parseHubParams(
      request("hub", { name: "g", version: "0.9", url: "http://a" }),
      env,
    );
    const tekton = parseHubParams(
      request("hub", { name: "g", version: "0.9.2", type: "tekton", url: "http://t" }),
      env,
    );
    expect(hubYamlUrl(artifact, artifact.version)).toBe(
      "http://a/api/v1/packages/tekton-task/tekton-catalog-tasks/g/0.9.0",
    );
    expect(hubVersionsUrl(artifact)).toBe(
      "http://a/api/v1/packages/tekton-task/tekton-catalog-tasks/g",
    );
    expect(hubYamlUrl(tekton, tekton.version)).toBe("http://t/v1/resource/Tekton/task/g/0.9/yaml");
    expect(hubVersionsUrl(tekton)).toBe("http://t/v1/resource/Tekton/task/g");
  });

  test("answers are read from data.manifestRaw, data.yaml and the version lists", () => {
    expect(readHubYaml("artifact", { data: { manifestRaw: "kind: Task" } })).toBe("kind: Task");
    expect(readHubYaml("tekton", { data: { yaml: "kind: Task" } })).toBe("kind: Task");
    expect(() => readHubYaml("artifact", { data: {} })).toThrow("holds no data.manifestRaw");
    expect(
      readHubVersions("artifact", {
        available_versions: [{ version: "0.1.0" }, { version: "0.2.0-rc", prerelease: true }],
      }),
    ).toEqual(["0.1.0"]);
    expect(readHubVersions("tekton", { data: { versions: [{ version: "0.1" }] } })).toEqual([
      "0.1",
    ]);
  });
});

describe("bundle params and layers", () => {
  test.each([
    [
      "127.0.0.1:5000/tekton/tasks:v1",
      { registry: "127.0.0.1:5000", repository: "tekton/tasks", reference: "v1" },
    ],
    ["busybox", { registry: "docker.io", repository: "library/busybox", reference: "latest" }],
    [
      `gcr.io/p/t@sha256:${"b".repeat(64)}`,
      { registry: "gcr.io", repository: "p/t", reference: `sha256:${"b".repeat(64)}` },
    ],
    ["localhost/x", { registry: "localhost", repository: "x", reference: "latest" }],
  ])("image reference %s", (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
  });

  test.each(["", "UPPER/case", "a@sha256:short", "a@b@c"])("rejects image reference %j", (text) => {
    expect(() => parseImageRef(text)).toThrow("is no image reference");
  });

  test.each([
    ["127.0.0.1:5000", "http://127.0.0.1:5000"],
    ["localhost:5000", "http://localhost:5000"],
    ["registry.local", "http://registry.local"],
    ["gcr.io", "https://gcr.io"],
    ["docker.io", "https://registry-1.docker.io"],
  ])("registry %s is reached at %s", (registry, base) => {
    expect(registryBase(registry)).toBe(base);
  });

  test("params: kind defaults to task and is lower-cased", () => {
    expect(
      parseBundleParams(request("bundles", { bundle: "r.io/b:1", name: "t", kind: "Task" })),
    ).toEqual({
      image: { registry: "r.io", repository: "b", reference: "1" },
      name: "t",
      kind: "task",
      secret: undefined,
    });
    expect(() => parseBundleParams(request("bundles", { bundle: "r.io/b:1" }))).toThrow(
      'missing required bundles resolver param "name"',
    );
  });

  const layer = (kind: string, name: string, digest = `sha256:${name}`) => ({
    digest,
    annotations: {
      "dev.tekton.image.apiVersion": "tekton.dev/v1",
      "dev.tekton.image.kind": kind,
      "dev.tekton.image.name": name,
    },
  });

  test("the layer is found by its kind and name annotations", () => {
    const manifest = { layers: [layer("task", "a"), layer("pipeline", "b"), layer("task", "b")] };
    expect(findBundleLayer(manifest, "task", "b").digest).toBe("sha256:b");
    expect(findBundleLayer(manifest, "pipeline", "b").digest).toBe("sha256:b");
    expect(() => findBundleLayer(manifest, "task", "c")).toThrow(
      'the bundle holds no task named "c"',
    );
  });

  test("the bundle contract is checked", () => {
    expect(() =>
      findBundleLayer({ layers: [{ digest: "d", annotations: {} }] }, "task", "a"),
    ).toThrow("layer 0 of the bundle has no dev.tekton.image.apiVersion annotation");
    const many = { layers: Array.from({ length: 21 }, (_, i) => layer("task", `t${i}`)) };
    expect(() => findBundleLayer(many, "task", "t1")).toThrow("more than 20 objects");
    expect(() => findBundleLayer({ manifests: [] }, "task", "t")).toThrow("is an image index");
  });

  test("registry credentials come from a docker config Secret", () => {
    const config = {
      auths: {
        "127.0.0.1:5000": { auth: btoa("user:pa:ss") },
        "https://index.docker.io/v1/": { username: "hub", password: "pw" },
      },
    };
    const data = { ".dockerconfigjson": JSON.stringify(config) };
    expect(registryCredentials(data, "127.0.0.1:5000")).toEqual({
      username: "user",
      password: "pa:ss",
    });
    expect(registryCredentials(data, "docker.io")).toEqual({ username: "hub", password: "pw" });
    expect(registryCredentials(data, "gcr.io")).toBeUndefined();
  });

  test("auth challenges are parsed", () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.io/token",service="registry.io",scope="repository:a:pull"',
      ),
    ).toEqual({
      scheme: "bearer",
      params: {
        realm: "https://auth.io/token",
        service: "registry.io",
        scope: "repository:a:pull",
      },
    });
    expect(parseChallenge('Basic realm="r"')).toEqual({ scheme: "basic", params: { realm: "r" } });
  });
});

describe("cluster params and lookup", () => {
  const docs = `
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: here}
spec: {steps: [{image: x}]}
---
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: elsewhere, namespace: ci}
spec: {steps: [{image: x}]}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: here}
spec: {}
`;
  const catalog = new Catalog(
    parseYamlDocuments(docs, "c.yaml").map((doc) => decodeDocument(doc) as Resource),
  );
  const cluster = (params: Record<string, string>) => request("cluster", params);

  test("kind defaults to task; any kind is read case-insensitively", () => {
    expect(parseClusterParams(cluster({ name: "n" }))).toEqual({
      kind: "Task",
      name: "n",
      namespace: undefined,
    });
    expect(parseClusterParams(cluster({ name: "n", kind: "StepAction", namespace: "x" }))).toEqual({
      kind: "StepAction",
      name: "n",
      namespace: "x",
    });
  });

  test.each([
    [{ name: "here" }, "Task", "here"],
    [{ name: "here", kind: "pipeline" }, "Pipeline", "here"],
    [{ name: "here", namespace: "anything" }, "Task", "here"],
    [{ name: "elsewhere", namespace: "ci" }, "Task", "elsewhere"],
  ])("%j finds a %s", (params, kind, name) => {
    const found = resolveCluster(cluster(params), catalog);
    expect([found.kind, found.name]).toEqual([kind, name]);
  });

  test.each([
    [{ name: "gone" }, 'Task "gone" is not in the input or --resources'],
    [{ name: "elsewhere", namespace: "prod" }, 'Task "elsewhere" is in namespace "ci", not "prod"'],
    [
      { name: "here", kind: "clustertask" },
      'kind param must be task, pipeline or stepaction, not "clustertask"',
    ],
    [{}, 'missing required cluster resolver param "name"'],
  ])("rejects %j", (params, message) => {
    expect(() => resolveCluster(cluster(params), catalog)).toThrow(message);
  });
});

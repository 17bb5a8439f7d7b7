import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mallet } from "../helpers/mallet.ts";
import {
  git,
  hasRegistry,
  pushBundle,
  type Started,
  serveFiles,
  serveGit,
  serveHub,
  startRegistry,
  tarGz,
} from "./servers.ts";

// A Pipeline fetched through git over HTTP whose tasks come from every resolver: git over
// file:// and HTTP, http with and without basic auth, the hub, a bundle in a registry and the
// cluster (--resources); StepActions come through http and the bundle. Then the servers stop
// and the same run succeeds with --offline from the cache.

const BUSYBOX = "localhost/standin/busybox";
/** Eight TaskRuns in podman, on a small CI machine. */
const RUN_TIMEOUT_MS = 300_000;
const TOKEN = "t0ken";
const HTTP_USER = { username: "reader", password: "letmein" };

/** A Task that writes `word` as its result `word`. */
function task(name: string, word: string): string {
  return `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ${name}}
spec:
  results: [{name: word}]
  steps:
    - name: say
      image: ${BUSYBOX}
      script: printf ${word} > $(results.word.path)
`;
}

/** A Task whose one step is a StepAction reached through `ref`; its result is the step's. */
function taskWithAction(name: string, ref: string): string {
  return `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ${name}}
spec:
  results:
    - {name: word, value: $(steps.action.results.word)}
  steps:
    - name: action
      ref:
${ref}
`;
}

function stepAction(name: string, word: string): string {
  return `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: ${name}}
spec:
  image: ${BUSYBOX}
  results: [{name: word}]
  script: printf ${word} > $(step.results.word.path)
`;
}

const skipReason = "docker-registry is not installed (apt-get install docker-registry)";
if (!hasRegistry()) console.warn(`tests/resolve/remote-pipeline: skipped: ${skipReason}`);

describe.skipIf(!hasRegistry())("a pipeline whose tasks come from every resolver", () => {
  const dir = mkdtempSync(join(tmpdir(), "mallet-remote-"));
  const cacheDir = join(dir, "cache");
  const repos = join(dir, "git");
  const files = new Map<string, string>();
  const servers: Started[] = [];
  let input = "";
  let gitUrl = "";

  beforeAll(async () => {
    const http = serveFiles(files, HTTP_USER);
    const gitServer = serveGit(repos, TOKEN);
    const hubPackages = new Map<string, Map<string, string>>();
    const hub = serveHub(hubPackages);
    const registry = await startRegistry(join(dir, "registry"));
    servers.push(http, gitServer, hub, registry);

    const authTask = task("http-auth-task", "http-auth");
    files.set("/tasks/http.yaml", task("http-task", "http"));
    files.set("/private/tasks/http-auth.yaml", authTask);
    files.set("/stepactions/greet.yaml", stepAction("http-greet", "cluster"));
    const bundleRef =
      "        resolver: bundles\n        params:\n" +
      `          - {name: bundle, value: "${new URL(registry.url).host}/tekton/catalog:v1"}\n` +
      "          - {name: name, value: bundle-greet}\n          - {name: kind, value: stepaction}";
    files.set("/tasks/report.yaml", taskWithAction("report", bundleRef));

    hubPackages.set(
      "tekton-task/tekton-catalog-tasks/hub-say",
      new Map([
        ["0.1.0", task("hub-say", "hub-0.1")],
        ["0.2.0", task("hub-say", "hub-0.2")],
        ["0.3.0-rc", task("hub-say", "hub-rc")],
        ["1.0.0", task("hub-say", "hub-1.0")],
      ]),
    );

    const layers = [
      { kind: "task", name: "bundle-say", yaml: task("bundle-say", "bundle") },
      { kind: "stepaction", name: "bundle-greet", yaml: stepAction("bundle-greet", "report") },
    ];
    await pushBundle(
      registry.url,
      "tekton/catalog",
      "v1",
      layers.map((layer) => ({
        apiVersion: "tekton.dev/v1",
        kind: layer.kind,
        name: layer.name,
        layer: tarGz(join(dir, "layers", layer.name), `${layer.name}.yaml`, layer.yaml),
      })),
    );

    // The repository's first commit holds the Tasks; the second the Pipeline, which pins the
    // git-over-HTTP Task to the first commit.
    const work = join(dir, "work");
    mkdirSync(join(work, "tasks"), { recursive: true });
    git(work, "init", "--quiet", "--initial-branch=main");
    writeFileSync(join(work, "tasks/git-file.yaml"), task("git-file-task", "git-file"));
    writeFileSync(join(work, "tasks/git-http.yaml"), task("git-http-task", "git-http"));
    git(work, "add", ".");
    git(work, "commit", "--quiet", "-m", "tasks");
    const first = git(work, "rev-parse", "HEAD");
    const digest = createHash("sha256").update(authTask).digest("hex");
    writeFileSync(
      join(work, "pipeline.yaml"),
      pipeline({
        repos,
        git: gitServer.url,
        http: http.url,
        hub: hub.url,
        registry: new URL(registry.url).host,
        commit: first,
        digest,
      }),
    );
    git(work, "add", ".");
    git(work, "commit", "--quiet", "-m", "pipeline");
    mkdirSync(repos, { recursive: true });
    git(dir, "clone", "--quiet", "--bare", work, join(repos, "catalog.git"));

    const resources = join(dir, "resources");
    mkdirSync(resources, { recursive: true });
    const httpRef = `        resolver: http\n        params:\n          - {name: url, value: "${http.url}/stepactions/greet.yaml"}`;
    writeFileSync(join(resources, "cluster.yaml"), taskWithAction("cluster-say", httpRef));
    gitUrl = gitServer.url;
    input = pipelineRun(gitUrl);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...flags: string[]) =>
    mallet(["run", "-", "--resources", join(dir, "resources"), ...flags], {
      stdin: input,
      env: { MALLET_CACHE_DIR: cacheDir },
    });

  const EXPECTED = "git-file git-http http http-auth hub-0.2 bundle cluster";

  test(
    "runs to Succeeded with every task's result",
    async () => {
      const result = await run();
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      const status = result.statuses[0];
      expect(status?.condition.reason).toBe("Succeeded");
      expect(status?.results).toEqual([
        { name: "words", value: EXPECTED },
        { name: "report", value: "report" },
      ]);
    },
    RUN_TIMEOUT_MS,
  );

  test(
    "with the servers stopped and the repository gone, --offline succeeds from the cache",
    async () => {
      await Promise.all(servers.splice(0).map((server) => server.stop()));
      renameSync(repos, `${repos}-gone`);
      const result = await run("--offline");
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      expect(result.statuses[0]?.condition.reason).toBe("Succeeded");
      expect(result.statuses[0]?.results[0]).toEqual({ name: "words", value: EXPECTED });
    },
    RUN_TIMEOUT_MS,
  );

  test("without --offline the same run fails, naming the resolver and what it could not reach", async () => {
    const result = await run();
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toStartWith(
      `mallet: <stdin>:16:3: git resolver (url=${gitUrl}/private/catalog.git, revision=main, ` +
        "pathInRepo=pipeline.yaml, gitToken=git-auth): git fetch failed: ",
    );
  });
});

interface Urls {
  repos: string;
  git: string;
  http: string;
  hub: string;
  /** The registry as an image reference names it: host and port. */
  registry: string;
  commit: string;
  digest: string;
}

function pipeline(urls: Urls): string {
  const ref = (resolver: string, params: Record<string, string>) =>
    `      taskRef:\n        resolver: ${resolver}\n        params:\n${Object.entries(params)
      .map(([name, value]) => `          - {name: ${name}, value: "${value}"}`)
      .join("\n")}`;
  const tasks: Array<[string, string]> = [
    [
      "git-file",
      ref("git", {
        url: `file://${urls.repos}/catalog.git`,
        revision: "$(params.revision)",
        pathInRepo: "tasks/git-file.yaml",
      }),
    ],
    [
      "git-http",
      ref("git", {
        url: `${urls.git}/public/catalog.git`,
        revision: urls.commit,
        pathInRepo: "/tasks/git-http.yaml",
      }),
    ],
    ["http", ref("http", { url: `${urls.http}/tasks/http.yaml` })],
    [
      "http-auth",
      ref("http", {
        url: `${urls.http}/private/tasks/http-auth.yaml`,
        "http-username": HTTP_USER.username,
        "http-password-secret": "http-auth",
        digest: `sha256:${urls.digest}`,
      }),
    ],
    ["hub", ref("hub", { url: urls.hub, name: "hub-say", version: ">= 0.1, < 1.0" })],
    [
      "bundle",
      ref("bundles", {
        bundle: `${urls.registry}/tekton/catalog:v1`,
        name: "bundle-say",
      }),
    ],
    ["cluster", ref("cluster", { kind: "task", name: "cluster-say", namespace: "default" })],
  ];
  const words = tasks.map(([name]) => `$(tasks.${name}.results.word)`).join(" ");
  return `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: from-everywhere}
spec:
  params: [{name: revision}]
  tasks:
${tasks.map(([name, taskRef]) => `    - name: ${name}\n${taskRef}`).join("\n")}
  finally:
    - name: report
${ref("http", { url: `${urls.http}/tasks/report.yaml` })}
  results:
    - {name: words, value: "${words}"}
    - {name: report, value: $(finally.report.results.word)}
`;
}

function pipelineRun(gitUrl: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: git-auth}
stringData: {token: ${TOKEN}}
---
apiVersion: v1
kind: Secret
metadata: {name: http-auth}
stringData: {password: ${HTTP_USER.password}}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: from-everywhere}
spec:
  params: [{name: revision, value: main}]
  pipelineRef:
    resolver: git
    params:
      - {name: url, value: "${gitUrl}/private/catalog.git"}
      - {name: revision, value: main}
      - {name: pathInRepo, value: pipeline.yaml}
      - {name: gitToken, value: git-auth}
`;
}

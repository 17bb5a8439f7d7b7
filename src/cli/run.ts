import { writeFileSync } from "node:fs";
import { maskDeep } from "../ui/mask.ts";
import { defineCommand } from "citty";
import { Catalog } from "../core/catalog.ts";
import { isSuccess, type RunStatus } from "../core/status.ts";
import { MalletError } from "../core/errors.ts";
import { mapImage } from "../core/image-map.ts";
import { dryRunText } from "../runner/dry-run.ts";
import type { PullPolicy } from "../runner/images.ts";
import { runAll } from "../runner/session.ts";
import { defaultCacheDir, resolveRemoteRefs } from "../resolve/index.ts";
import { chooseEngine } from "./engine-choice.ts";
import { parseWorkspaceFlags } from "./flags.ts";
import { loadImageMap } from "./image-flags.ts";
import { checkBeforeRun } from "./check-input.ts";
import { readSources, resourcesFrom } from "./input.ts";
import { repeatedFlags } from "./repeated.ts";
import { createRunOutput } from "./run-output.ts";
import { secretResources } from "./secret-flags.ts";
import { installSignalHandlers } from "./signals.ts";
import { selectRuns } from "./synthesize.ts";

export const runCommand = defineCommand({
  meta: {
    name: "run",
    description:
      "Run TaskRuns and PipelineRuns (or a Task or Pipeline with -p and -w) in containers.\n\n" +
      "Examples:\n" +
      "  mallet run examples/build-and-test.yaml\n" +
      "  mallet run .tekton/ --pipeline ci -p revision=main -w name=source,path=.\n" +
      "  kubectl-style: cat run.yaml | mallet run -",
  },
  args: {
    input: {
      type: "positional",
      description: "files or directories of Tekton YAML, or - for stdin",
      required: true,
    },
    param: {
      type: "string",
      alias: "p",
      description: "param as name=value (a,b,c for arrays; k:v,k2:v2 for objects); repeatable",
    },
    workspace: {
      type: "string",
      alias: "w",
      description:
        "workspace as name=NAME,path=DIR | emptyDir= | claimName=PVC | config=CM | secret=S [,subPath=P]; repeatable",
    },
    pipeline: { type: "string", description: "the Pipeline to run when the input holds several" },
    validate: {
      type: "boolean",
      default: true,
      description:
        "refuse input that Tekton would reject, as mallet validate (--no-validate skips)",
    },
    task: { type: "string", description: "the Task to run when the input holds several" },
    resources: {
      type: "string",
      description: "directory of Tasks, Pipelines and StepActions that refs may name; repeatable",
    },
    concurrency: { type: "string", default: "4", description: "how many TaskRuns may run at once" },
    engine: {
      type: "string",
      description:
        "podman or docker (default: $MALLET_ENGINE, else podman if installed, else docker)",
    },
    pull: {
      type: "string",
      default: "missing",
      description: "image pulls: always, missing or never",
    },
    "image-map": {
      type: "string",
      description: "YAML file mapping image repositories to replacement images; repeatable",
    },
    image: { type: "string", description: "one image replacement, repository=image; repeatable" },
    output: {
      type: "string",
      alias: "o",
      description: "output: tree, plain or json (default: tree on a terminal, else plain)",
    },
    timestamps: { type: "boolean", description: "prefix plain output lines with a timestamp" },
    quiet: { type: "boolean", alias: "q", description: "print only failures and the summary" },
    verbose: { type: "boolean", alias: "v", description: "stream every step's output in the tree" },
    debug: { type: "boolean", description: "print every engine command before it runs" },
    "status-file": {
      type: "string",
      description: "write the final status of every run as JSON to this file",
    },
    "dry-run": {
      type: "boolean",
      description: "print the resolved runs as YAML, and their plan, without running them",
    },
    secret: {
      type: "string",
      description: "a Secret value as NAME/KEY=VALUE, masked in all output; repeatable",
    },
    offline: {
      type: "boolean",
      description: "resolve git, http, hub and bundles refs from the cache alone, fetching nothing",
    },
    "state-dir": {
      type: "string",
      default: ".mallet",
      description: "where runs and persistent claims are kept",
    },
  },
  async run({ args, rawArgs }) {
    const multi = repeatedFlags(rawArgs, {
      param: "p",
      workspace: "w",
      resources: undefined,
      "image-map": undefined,
      image: undefined,
      secret: undefined,
    });
    const inputs = args._.length > 0 ? args._ : [args.input];
    const sources = readSources(inputs);
    const references = readSources(multi.resources ?? []);
    const resources = [
      ...resourcesFrom(sources),
      ...resourcesFrom(references),
      ...secretResources(multi.secret ?? []),
    ];
    if (args.validate) checkBeforeRun(sources, references);
    const runs = selectRuns(resources, {
      pipeline: args.pipeline,
      task: args.task,
      params: multi.param ?? [],
      workspaces: parseWorkspaceFlags(multi.workspace ?? []),
    });
    const imageMap = loadImageMap(multi["image-map"] ?? [], multi.image ?? []);
    const pull = parsePull(args.pull);
    const concurrency = parseConcurrency(args.concurrency);
    const catalog = new Catalog(resources);
    await resolveRemoteRefs(runs, catalog, {
      offline: Boolean(args.offline),
      cacheDir: defaultCacheDir(process.env),
      env: process.env,
    });
    if (args["dry-run"]) {
      process.stdout.write(dryRunText(runs, catalog, (image) => mapImage(image, imageMap)));
      return;
    }
    const { renderer, masker } = createRunOutput({
      output: args.output,
      timestamps: Boolean(args.timestamps),
      quiet: Boolean(args.quiet),
      verbose: Boolean(args.verbose),
      concurrency,
      stateDir: args["state-dir"],
      runs,
      resources,
      catalog,
    });
    const trace = args.debug
      ? (argv: readonly string[]) => process.stderr.write(`+ ${masker.mask(argv.join(" "))}\n`)
      : undefined;
    const engine = chooseEngine(args.engine, trace);
    const signals = installSignalHandlers();
    let statuses: RunStatus[] = [];
    try {
      statuses = await runAll(runs, {
        engine,
        emit: (event) => renderer.handle(event),
        catalog,
        imageMap,
        pull,
        concurrency,
        stateDir: args["state-dir"],
        signal: signals.signal,
      });
    } finally {
      await renderer.close();
      signals.dispose();
      if (args["status-file"]) {
        const masked = maskDeep(statuses, masker);
        writeFileSync(args["status-file"], `${JSON.stringify(masked, null, 2)}\n`);
      }
    }
    process.exitCode =
      signals.exitCode() ?? (statuses.every((status) => isSuccess(status.condition)) ? 0 : 1);
  },
});

function parsePull(value: string): PullPolicy {
  if (value === "always" || value === "missing" || value === "never") return value;
  throw new MalletError("USAGE", `--pull must be always, missing or never, not "${value}"`);
}

function parseConcurrency(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new MalletError(
      "USAGE",
      `--concurrency must be a whole number of at least 1, not "${value}"`,
    );
  return number;
}

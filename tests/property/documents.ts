import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { Catalog } from "../../src/core/catalog.ts";
import { isMalletError, type MalletError } from "../../src/core/errors.ts";
import { decodeDocument } from "../../src/core/load/decode.ts";
import { parseYamlDocuments } from "../../src/core/load/parse-yaml.ts";
import type { Resource } from "../../src/core/model/resources.ts";
import { dryRunText } from "../../src/runner/dry-run.ts";
import { EXAMPLES } from "../helpers/mallet.ts";

/** The file name every generated document is loaded as. */
export const FILE = "gen.yaml";

const BUSYBOX = "localhost/standin/busybox";

/** Valid documents that use most of what Mallet reads; mutations start from these. */
const OWN_SEEDS = [
  `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: seed-taskrun}
spec:
  timeout: 1m
  params: [{name: words, value: [a, b]}, {name: greeting, value: hi}]
  workspaces: [{name: src, emptyDir: {}, subPath: dir}]
  taskSpec:
    params:
      - {name: words, type: array}
      - {name: greeting, default: hello}
      - {name: obj, type: object, properties: {k: {type: string}}, default: {k: v}}
    workspaces: [{name: src, mountPath: /src}]
    results: [{name: out}, {name: list, type: array}]
    volumes: [{name: scratch, emptyDir: {}}]
    stepTemplate:
      env: [{name: FROM_TEMPLATE, value: "$(params.greeting)"}]
    sidecars:
      - name: side
        image: ${BUSYBOX}
        script: sleep 1
    steps:
      - name: first
        image: ${BUSYBOX}
        workingDir: /src/work
        args: ["$(params.words[*])", "$(params.obj.k)"]
        volumeMounts: [{name: scratch, mountPath: /scratch}]
        script: echo $(params.greeting) > $(results.out.path)
      - name: second
        image: ${BUSYBOX}
        onError: continue
        timeout: 10s
        when: [{input: "$(params.greeting)", operator: in, values: [hi]}]
        stdoutConfig: {path: /src/log}
        command: [sh, -c]
        args: ["echo $(params.words[0])"]
`,
  `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {generateName: seed-pipelinerun-}
spec:
  params: [{name: flavours, value: [a, b]}]
  timeouts: {pipeline: 1h, tasks: 50m}
  workspaces:
    - name: shared
      volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce]}}
  pipelineSpec:
    params: [{name: flavours, type: array}]
    workspaces: [{name: shared}]
    results: [{name: made, value: "$(tasks.make.results.out)"}]
    tasks:
      - name: make
        retries: 1
        timeout: 5m
        workspaces: [{name: ws, workspace: shared, subPath: make}]
        matrix:
          params: [{name: flavour, value: ["$(params.flavours[*])"]}]
        taskSpec:
          params: [{name: flavour}]
          workspaces: [{name: ws}]
          results: [{name: out}]
          steps:
            - image: ${BUSYBOX}
              script: echo $(params.flavour) > $(results.out.path)
      - name: check
        runAfter: [make]
        when: [{input: "$(tasks.make.results.out)", operator: notin, values: [x]}]
        params: [{name: got, value: "$(tasks.make.results.out[*])"}]
        taskRef: {name: seed-task}
    finally:
      - name: report
        params: [{name: status, value: "$(tasks.status)"}]
        taskSpec:
          params: [{name: status}]
          steps:
            - image: ${BUSYBOX}
              script: echo $(params.status)
---
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: seed-task}
spec:
  params: [{name: got, type: array}]
  steps:
    - name: show
      image: ${BUSYBOX}
      args: ["$(params.got[*])"]
      ref: {name: seed-action}
---
apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: seed-action}
spec:
  image: ${BUSYBOX}
  params: [{name: text, default: x}]
  script: echo $(params.text)
---
apiVersion: v1
kind: ConfigMap
metadata: {name: seed-config}
data: {key: value}
`,
];

/** The seed texts: Mallet's own, then the upstream examples when they are present. */
export function seedTexts(): string[] {
  const seeds = [...OWN_SEEDS];
  for (const dir of ["taskruns", "pipelineruns"]) {
    const path = join(EXAMPLES, dir);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path).sort()) {
      if (name.endsWith(".yaml")) seeds.push(readFileSync(join(path, name), "utf8"));
    }
  }
  return seeds;
}

/** Strings chosen to break things: paths out, variables, odd numbers, long text. */
const NASTY_STRINGS = [
  "",
  " ",
  "..",
  "../../etc/passwd",
  "/etc",
  "/tekton/results",
  "$(params.words[*])",
  "$(params.words[99])",
  "$(params.obj.k)",
  "$(params.missing)",
  "$(tasks.make.results.out[*])",
  "$(context.taskRun.name)",
  "$(",
  "$()",
  "$(params.)",
  "$(params['a.b'])",
  "$((1+2))",
  "0400",
  "1e999",
  "-1",
  "yes",
  "null",
  "~",
  "*",
  "&anchor",
  "a".repeat(5000),
  "é😀\u200b",
];

/** Any JSON-like value, biased to the strings above: what a wrong field may hold. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, true, false, null) },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant({}) },
);

/** One change to a document: a value replaced, a key removed or added, a list emptied. */
type Mutation =
  | { kind: "replace"; pick: number; value: unknown }
  | { kind: "delete"; pick: number }
  | { kind: "add"; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("add" as const),
    pick: fc.nat(),
    key: fc.oneof(
      fc.constantFrom("name", "image", "subPath", "hostPath", "__proto__", "constructor", "spec"),
      fc.string(),
    ),
    value: anyValue,
  }),
);

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

// Every place in a document a mutation can hit, in a stable order.
function slots(value: unknown, into: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      into.push({ parent: value, key: index });
      slots(item, into);
    });
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      into.push({ parent: value as Record<string, unknown>, key });
      slots(item, into);
    }
  }
  return into;
}

function apply(doc: unknown, mutation: Mutation): unknown {
  // Generated values may be shared instances (fc.constant): each use gets its own copy.
  const change =
    "value" in mutation ? { ...mutation, value: structuredClone(mutation.value) } : mutation;
  const all = slots(doc);
  if (all.length === 0) return change.kind === "replace" ? change.value : doc;
  const slot = all[change.pick % all.length] as Slot;
  const parent = slot.parent as Record<string | number, unknown>;
  if (change.kind === "replace") parent[slot.key] = change.value;
  else if (change.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(slot.key as number, 1);
    else delete parent[slot.key];
  } else {
    const target = parent[slot.key];
    if (target && typeof target === "object" && !Array.isArray(target)) {
      Object.defineProperty(target, change.key, {
        value: change.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else parent[slot.key] = { [change.key]: change.value };
  }
  return doc;
}

/** A seed's documents with a few mutations applied, written back as YAML. */
export function mutatedYaml(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      changes: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    })
    .map(({ seed, changes }) => {
      const texts = (seeds[seed] as string).split(/^---$/m);
      const docs = texts.map((text) => parse(text) as unknown);
      const index = changes[0] ? changes[0].pick % docs.length : 0;
      let doc = docs[index];
      for (const change of changes) doc = apply(doc, change);
      docs[index] = doc;
      return docs.map((item) => stringify(item, { aliasDuplicateObjects: false })).join("---\n");
    });
}

/** A seed's text with characters inserted, deleted or replaced: broken YAML of every kind. */
export function garbledYaml(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 8 }),
    insert: fc.oneof(
      fc.constantFrom(":", "- ", "[", "]", "{", "}", "\t", "\n", "  ", "&a ", "*a", "'", '"', "#"),
      fc.string({ maxLength: 6 }),
    ),
  });
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      edits: fc.array(edit, { minLength: 1, maxLength: 6 }),
    })
    .map(({ seed, edits }) => {
      let text = seeds[seed] as string;
      for (const { at, remove, insert } of edits) {
        const position = at % (text.length + 1);
        text = text.slice(0, position) + insert + text.slice(position + remove);
      }
      return text;
    });
}

/** What loading gave: the resources, or the error it raised. */
export type Loaded = { ok: true; resources: Resource[] } | { ok: false; error: unknown };

/** Parses and decodes `text` as `mallet run` does. */
export function load(text: string): Loaded {
  try {
    const resources: Resource[] = [];
    for (const doc of parseYamlDocuments(text, FILE)) {
      const resource = decodeDocument(doc);
      if (resource) resources.push(resource);
    }
    return { ok: true, resources };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Plans every run (refs resolved, params and variables substituted), as `--dry-run` does. */
export function plan(resources: Resource[]): { ok: true } | { ok: false; error: unknown } {
  const runs = resources.filter((r) => r.kind === "TaskRun" || r.kind === "PipelineRun");
  try {
    dryRunText(runs, new Catalog(resources), (image) => image);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Describes why `error` is not a located MalletError of the generated file, or undefined. */
export function unlocated(error: unknown): string | undefined {
  if (!isMalletError(error))
    return `not a MalletError: ${String((error as Error)?.stack ?? error)}`;
  const where = (error as MalletError).location;
  if (!where) return `no location: ${error.message}`;
  if (where.file !== FILE || where.line < 1 || where.col < 1)
    return `bad location ${JSON.stringify(where)}: ${error.message}`;
  if (error.message.includes("\n")) return `message of several lines: ${error.message}`;
  return undefined;
}

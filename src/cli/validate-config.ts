import { fastYamlParse } from "./fast-yaml.ts";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { MalletError } from "../core/errors.ts";
import { isRuleName, type RuleName, type RuleSetting } from "../core/validate/rules.ts";

/** The `validate:` section of a Mallet config file, with paths made absolute. */
export interface ValidateConfig {
  /** Directories (or files) read for the Tasks, Pipelines and StepActions refs name. */
  references: string[];
  rules: Partial<Record<RuleName, RuleSetting>>;
}

export const CONFIG_FILE_NAMES = [".mallet.yaml", ".mallet.yml"];
const SETTINGS = new Set(["error", "warning", "off"]);

/** The nearest config file from `dir` upwards, as `git` finds its repository. */
export function findConfigFile(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(current, name);
      if (existsSync(path)) return path;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Reads the `validate:` section of a config file; a mistake in it is a usage error. */
export async function loadValidateConfig(path: string | undefined): Promise<ValidateConfig> {
  const config: ValidateConfig = { references: [], rules: {} };
  if (!path) return config;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new MalletError("USAGE", `${path}: cannot read the config file`);
  }
  // The precise parser is loaded only to say where a mistake is (or to report bad YAML).
  const precise = async () => {
    const { parseYamlDocuments } = await import("../core/load/parse-yaml.ts");
    return parseYamlDocuments(text, path)[0];
  };
  const data = readFast(text) ?? (await precise())?.data;
  const section = (data as { validate?: unknown } | null | undefined)?.validate;
  if (section === undefined || section === null) return config;
  let problem: { message: string; at: (string | number)[] } | undefined;
  const fail = (message: string, at: (string | number)[]): never => {
    problem = { message, at };
    throw problem;
  };
  try {
    readSection(section, dirname(path), config, fail);
  } catch (error) {
    if (error !== problem || !problem) throw error;
    const doc = await precise();
    throw new MalletError("USAGE", problem.message, doc?.locate(["validate", ...problem.at]));
  }
  return config;
}

function readFast(text: string): unknown {
  try {
    if (!fastYamlParse) return undefined;
    const data = fastYamlParse(text);
    return Array.isArray(data) ? undefined : data;
  } catch {
    return undefined;
  }
}

function readSection(section: unknown, base: string, config: ValidateConfig, fail: Fail): void {
  if (typeof section !== "object" || Array.isArray(section)) fail("validate must be a mapping", []);
  const { references, rules, ...rest } = section as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    fail(`unknown setting "validate.${key}" (use references or rules)`, [key]);
  }
  config.references = readReferences(references, base, fail);
  config.rules = readRules(rules, fail);
}

type Fail = (message: string, at: (string | number)[]) => never;

function readReferences(value: unknown, base: string, fail: Fail): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
    return fail("validate.references must be a list of directories", ["references"]);
  }
  return list.map((dir) => resolve(base, dir));
}

function readRules(value: unknown, fail: Fail): Partial<Record<RuleName, RuleSetting>> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("validate.rules must map rule names to error, warning or off", ["rules"]);
  }
  const rules: Partial<Record<RuleName, RuleSetting>> = {};
  for (const [name, setting] of Object.entries(value)) {
    if (!isRuleName(name)) fail(`unknown rule "${name}" (see docs/validate.md)`, ["rules", name]);
    // YAML 1.1 readers turn a bare `off` into false; accept it as meant.
    const normalized = setting === false ? "off" : setting;
    if (typeof normalized !== "string" || !SETTINGS.has(normalized)) {
      fail(`rule "${name}" must be error, warning or off`, ["rules", name]);
    }
    rules[name as RuleName] = normalized as RuleSetting;
  }
  return rules;
}

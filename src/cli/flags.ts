import { existsSync, statSync } from "node:fs";
import { MalletError } from "../core/errors.ts";
import type { Param, ParamSpec } from "../core/model/common.ts";
import type { WorkspaceBinding } from "../core/model/runs.ts";
import { paramType } from "../core/subst/params.ts";
import { resolve } from "node:path";

/** A citty flag given once or repeated. */
export function many(value: unknown): string[] {
  if (value === undefined || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Parses `-p name=value` flags, typed by the declared params: `a,b,c` for arrays, `k:v, k2:v2` for objects. */
export function parseParamFlags(flags: readonly string[], specs: readonly ParamSpec[]): Param[] {
  return flags.map((flag) => {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw new MalletError("USAGE", `-p ${flag}: expected name=value`);
    const name = flag.slice(0, eq);
    const raw = flag.slice(eq + 1);
    const spec = specs.find((item) => item.name === name);
    const type = spec ? paramType(spec) : "string";
    if (type === "array") return { name, value: raw === "" ? [] : raw.split(",") };
    if (type === "object") return { name, value: parseObject(flag, raw) };
    return { name, value: raw };
  });
}

function parseObject(flag: string, raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    const colon = pair.indexOf(":");
    if (colon <= 0)
      throw new MalletError("USAGE", `-p ${flag}: object params take key:value pairs`);
    out[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
  }
  return out;
}

/**
 * Parses `-w name=ws,emptyDir=`, `-w name=src,path=.` (a host directory), `claimName=`,
 * `config=` and `secret=` (as tkn does), with an optional `subPath=`.
 */
export function parseWorkspaceFlags(flags: readonly string[]): WorkspaceBinding[] {
  return flags.map((flag) => {
    const fields = new Map<string, string>();
    for (const part of flag.split(",")) {
      const eq = part.indexOf("=");
      if (eq <= 0)
        throw new MalletError(
          "USAGE",
          `-w ${flag}: expected key=value pairs, such as name=src,path=.`,
        );
      fields.set(part.slice(0, eq), part.slice(eq + 1));
    }
    const name = fields.get("name");
    if (!name) throw new MalletError("USAGE", `-w ${flag}: name= is required`);
    const subPath = fields.get("subPath");
    return { name, ...(subPath ? { subPath } : {}), ...workspaceSource(flag, fields) };
  });
}

function workspaceSource(flag: string, fields: Map<string, string>): Partial<WorkspaceBinding> {
  const path = fields.get("path");
  if (path !== undefined) return { hostPath: { path: existingDirectory(flag, path) } };
  if (fields.has("emptyDir")) return { emptyDir: {} };
  const claim = fields.get("claimName");
  if (claim) return { persistentVolumeClaim: { claimName: claim } };
  const config = fields.get("config");
  if (config) return { configMap: { name: config } };
  const secret = fields.get("secret");
  if (secret) return { secret: { secretName: secret } };
  throw new MalletError(
    "USAGE",
    `-w ${flag}: give one of path=, emptyDir=, claimName=, config= or secret=`,
  );
}

// A host workspace must exist: a typo would otherwise fail the first step's container.
function existingDirectory(flag: string, path: string): string {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isDirectory()) {
    throw new MalletError("USAGE", `-w ${flag}: ${path} is not an existing directory`);
  }
  return full;
}

import { ResolveError } from "./request-key.ts";

/** What a resolver may use besides its request: the input's Secrets, limits, the environment. */
export interface ResolveContext {
  /** Aborts on the one-minute timeout or when the user stops mallet. */
  signal: AbortSignal;
  /** The largest document (or registry blob, or API answer) a resolver accepts. */
  maxBytes: number;
  /** A Secret of the input, its data decoded; undefined when there is none of that name. */
  secret: (name: string) => Readonly<Record<string, string>> | undefined;
  /** Environment variables (`ARTIFACT_HUB_API`, `TEKTON_HUB_API`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Called with every command before it runs (`--debug`). */
  trace?: ((argv: readonly string[]) => void) | undefined;
}

/** One key of a Secret in the input, or an error that names the Secret and the key. */
export function secretValue(ctx: ResolveContext, name: string, key: string): string {
  const data = ctx.secret(name);
  if (!data) throw new ResolveError(`Secret "${name}" is not in the input or --resources`);
  const value = data[key];
  if (value === undefined) throw new ResolveError(`Secret "${name}" has no key "${key}"`);
  return value;
}

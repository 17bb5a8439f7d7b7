type YamlParse = (text: string) => unknown;

/**
 * Bun's native YAML parser when Mallet runs under Bun (the compiled binary): it makes
 * `mallet validate` several times faster. Under Node or Deno it is absent and the portable
 * `yaml` package does all the work.
 */
export const fastYamlParse: YamlParse | undefined = (
  globalThis as { Bun?: { YAML?: { parse?: YamlParse } } }
).Bun?.YAML?.parse;

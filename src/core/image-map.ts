/** Replacement images by repository, as `--image-map FILE` and `--image from=to` give them. */
export type ImageMap = ReadonlyMap<string, string>;

/**
 * Splits an image reference into its repository, normalised as docker does
 * (`ubuntu` → `docker.io/library/ubuntu`), dropping any tag or digest.
 */
export function repositoryOf(reference: string): string {
  let name = reference.split("@")[0] ?? reference;
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  if (colon > lastSlash) name = name.slice(0, colon);
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasRegistry = /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
  const rest = hasRegistry ? name.slice(slash + 1) : name;
  // `index.docker.io` is docker's legacy name for docker.io; official images live in library/.
  const registry = !hasRegistry || first === "index.docker.io" ? "docker.io" : first;
  if (registry === "docker.io" && !rest.includes("/")) return `docker.io/library/${rest}`;
  return `${registry}/${rest}`;
}

/** Swaps an image for its replacement when its repository is mapped; otherwise keeps it. */
export function mapImage(reference: string, map: ImageMap): string {
  if (map.size === 0) return reference;
  return map.get(repositoryOf(reference)) ?? reference;
}

/** Builds an image map from `repository: replacement` pairs, normalising the keys. */
export function buildImageMap(pairs: Iterable<readonly [string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [from, to] of pairs) map.set(repositoryOf(from), to);
  return map;
}

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
  const first = name.split("/")[0] ?? "";
  const hasRegistry =
    name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasRegistry) return name;
  return name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`;
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

import { gunzipSync } from "node:zlib";
import type { ResolveContext } from "./context.ts";
import { tooLarge } from "./fetch-bytes.ts";
import {
  checkSha256,
  type ImageRef,
  parseImageRef,
  RegistryClient,
  registryCredentials,
} from "./oci-registry.ts";
import { paramOr, requiredParam, ResolveError, type ResolutionRequest } from "./request-key.ts";
import { firstTarFile } from "./tar.ts";

/** What the bundles resolver pulls out of which image, from its params. */
export interface BundleSource {
  image: ImageRef;
  name: string;
  /** Lower-case and singular, as the layer annotation: `task`, `pipeline`, `stepaction`. */
  kind: string;
  /** A docker config Secret with the registry's credentials. */
  secret: string | undefined;
}

/** A layer descriptor of an image manifest. */
export interface LayerDescriptor {
  digest: string;
  mediaType?: string;
  annotations?: Record<string, string>;
}

export const ANNOTATION_KIND = "dev.tekton.image.kind";
export const ANNOTATION_NAME = "dev.tekton.image.name";
export const ANNOTATION_API_VERSION = "dev.tekton.image.apiVersion";
/** The Tekton bundle contract allows no more objects than this in one image. */
const MAX_BUNDLE_OBJECTS = 20;

export const MANIFEST_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];

/** Checks the params: an image reference, a name, a kind (default `task`). */
export function parseBundleParams(request: ResolutionRequest): BundleSource {
  return {
    image: parseImageRef(requiredParam(request, "bundle")),
    name: requiredParam(request, "name"),
    kind: paramOr(request, "kind", "task").toLowerCase(),
    secret: request.params.secret || undefined,
  };
}

/** A bundle pulled by digest never changes. */
export function isPinned(source: BundleSource): boolean {
  return source.image.reference.startsWith("sha256:");
}

/** Checks a manifest against the bundle contract and finds the layer of `kind` and `name`. */
export function findBundleLayer(manifest: unknown, kind: string, name: string): LayerDescriptor {
  const layers = (manifest as { layers?: unknown })?.layers;
  if ((manifest as { manifests?: unknown })?.manifests)
    throw new ResolveError("the bundle is an image index; a Tekton bundle is a single image");
  if (!Array.isArray(layers)) throw new ResolveError("the bundle's manifest lists no layers");
  if (layers.length > MAX_BUNDLE_OBJECTS)
    throw new ResolveError(`the bundle holds more than ${MAX_BUNDLE_OBJECTS} objects`);
  for (const [index, layer] of (layers as LayerDescriptor[]).entries()) {
    for (const key of [ANNOTATION_API_VERSION, ANNOTATION_NAME, ANNOTATION_KIND]) {
      if (layer.annotations?.[key] === undefined)
        throw new ResolveError(`layer ${index} of the bundle has no ${key} annotation`);
    }
  }
  const found = (layers as LayerDescriptor[]).find(
    (layer) =>
      layer.annotations?.[ANNOTATION_KIND]?.toLowerCase() === kind &&
      layer.annotations?.[ANNOTATION_NAME] === name,
  );
  if (!found) throw new ResolveError(`the bundle holds no ${kind} named "${name}"`);
  return found;
}

/** A layer's document: gunzipped when compressed, the first file when a tar archive. */
export function layerDocument(blob: Buffer, maxBytes: number): Buffer {
  let bytes = blob;
  if (blob[0] === 0x1f && blob[1] === 0x8b) {
    try {
      bytes = gunzipSync(blob, { maxOutputLength: maxBytes });
    } catch (error) {
      if (error instanceof RangeError) throw tooLarge("the bundle layer", maxBytes);
      throw new ResolveError("the bundle layer is not valid gzip");
    }
  }
  return firstTarFile(bytes) ?? bytes;
}

/** Reads the image manifest from the registry, then the layer holding the named object. */
export async function resolveBundle(
  request: ResolutionRequest,
  ctx: ResolveContext,
): Promise<string> {
  const source = parseBundleParams(request);
  const secret = source.secret ? ctx.secret(source.secret) : undefined;
  if (source.secret && !secret)
    throw new ResolveError(`Secret "${source.secret}" is not in the input or --resources`);
  // LIMITATION: credentials come only from the `secret` param, not from a ServiceAccount's
  // imagePullSecrets or ~/.docker/config.json; a private registry without it answers 401.
  const credentials = secret ? registryCredentials(secret, source.image.registry) : undefined;
  const client = new RegistryClient(source.image, credentials, ctx);

  const manifest = await client.get(
    `manifests/${source.image.reference}`,
    MANIFEST_TYPES.join(", "),
  );
  if (isPinned(source) && !checkSha256(manifest.body, source.image.reference))
    throw new ResolveError(`the manifest does not have the digest ${source.image.reference}`);
  const layer = findBundleLayer(parseJson(manifest.body), source.kind, source.name);
  const blob = await client.blob(layer.digest);
  return layerDocument(blob, ctx.maxBytes).toString("utf8");
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new ResolveError("the registry's manifest is not JSON");
  }
}

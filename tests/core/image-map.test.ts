import { describe, expect, test } from "bun:test";
import { buildImageMap, mapImage, repositoryOf } from "../../src/core/image-map.ts";

describe("repositoryOf (normalised as docker does)", () => {
  test.each([
    ["ubuntu", "docker.io/library/ubuntu"],
    ["ubuntu:22.04", "docker.io/library/ubuntu"],
    ["ubuntu@sha256:0123abcd", "docker.io/library/ubuntu"],
    ["ubuntu:22.04@sha256:0123abcd", "docker.io/library/ubuntu"],
    ["library/ubuntu", "docker.io/library/ubuntu"],
    ["docker.io/ubuntu", "docker.io/library/ubuntu"],
    ["docker.io/library/ubuntu:latest", "docker.io/library/ubuntu"],
    ["index.docker.io/ubuntu", "docker.io/library/ubuntu"],
    ["index.docker.io/team/app", "docker.io/team/app"],
    ["bitnami/kubectl:1.29", "docker.io/bitnami/kubectl"],
    ["gcr.io/distroless/static:nonroot", "gcr.io/distroless/static"],
    ["mirror.gcr.io/bash", "mirror.gcr.io/bash"],
    ["localhost/x", "localhost/x"],
    ["localhost/standin/busybox:1", "localhost/standin/busybox"],
    ["localhost:5000/x:tag", "localhost:5000/x"],
    ["registry.example.com:8443/team/app@sha256:ff", "registry.example.com:8443/team/app"],
    ["myregistry:5000/app", "myregistry:5000/app"],
  ])("%s → %s", (reference, repository) => {
    expect(repositoryOf(reference)).toBe(repository);
  });
});

describe("mapImage", () => {
  const map = buildImageMap([
    ["ubuntu", "localhost/standin/ubuntu"],
    ["gcr.io/distroless/static:nonroot", "localhost/standin/static"],
  ]);

  test("keys are normalised repositories", () => {
    expect([...map.keys()]).toEqual(["docker.io/library/ubuntu", "gcr.io/distroless/static"]);
  });

  test.each([
    ["ubuntu", "localhost/standin/ubuntu"],
    ["docker.io/library/ubuntu:24.04", "localhost/standin/ubuntu"],
    ["gcr.io/distroless/static@sha256:aa", "localhost/standin/static"],
    ["alpine", "alpine"],
  ])("%s → %s", (reference, mapped) => {
    expect(mapImage(reference, map)).toBe(mapped);
  });

  test("an empty map keeps every image", () => {
    expect(mapImage("ubuntu", new Map())).toBe("ubuntu");
  });
});

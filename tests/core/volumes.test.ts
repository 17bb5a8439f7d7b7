import { describe, expect, test } from "bun:test";
import type { WorkspaceBinding } from "../../src/core/model/runs.ts";
import {
  type DataLookup,
  VolumeError,
  type VolumeSource,
  volumeSource,
  workspaceSource,
} from "../../src/core/task/volumes.ts";
import { caught } from "../helpers/caught.ts";

const data: Record<string, Record<string, string>> = {
  "ConfigMap/app": { "config.yaml": "a: 1", "extra.txt": "x" },
  "Secret/creds": { password: "hunter2" },
};
const lookup: DataLookup = (kind, name) => data[`${kind}/${name}`];

describe("workspaceSource", () => {
  test.each<[string, WorkspaceBinding, VolumeSource]>([
    ["emptyDir", { name: "w", emptyDir: {} }, { type: "emptyDir" }],
    ["volumeClaimTemplate", { name: "w", volumeClaimTemplate: {} }, { type: "emptyDir" }],
    [
      "hostPath (-w path=)",
      { name: "w", hostPath: { path: "/src" } },
      { type: "host", path: "/src" },
    ],
    [
      "persistentVolumeClaim",
      { name: "w", persistentVolumeClaim: { claimName: "cache" } },
      { type: "claim", claim: "cache" },
    ],
    [
      "configMap with items and modes",
      {
        name: "w",
        configMap: {
          name: "app",
          defaultMode: 0o400,
          items: [
            { key: "config.yaml", path: "conf/app.yaml" },
            { key: "extra.txt", mode: 0o600 },
          ],
        },
      },
      {
        type: "files",
        files: [
          { path: "conf/app.yaml", content: "a: 1", mode: 0o400 },
          { path: "extra.txt", content: "x", mode: 0o600 },
        ],
      },
    ],
    [
      "secret by secretName",
      { name: "w", secret: { secretName: "creds" } },
      { type: "files", files: [{ path: "password", content: "hunter2", mode: undefined }] },
    ],
    [
      "projected configMap and secret",
      {
        name: "w",
        projected: {
          sources: [
            { configMap: { name: "app", items: [{ key: "extra.txt" }] } },
            { secret: { name: "creds" } },
          ],
        },
      },
      {
        type: "files",
        files: [
          { path: "extra.txt", content: "x", mode: undefined },
          { path: "password", content: "hunter2", mode: undefined },
        ],
      },
    ],
    [
      "an optional missing secret gives no files",
      { name: "w", secret: { secretName: "nope", optional: true } },
      { type: "files", files: [] },
    ],
  ])("%s", (_, binding, expected) => {
    expect(workspaceSource(binding, lookup)).toEqual(expected);
  });

  test.each<[string, WorkspaceBinding, string]>([
    ["no source", { name: "w" }, 'workspace "w" has no volume source Mallet can provide'],
    [
      "csi",
      { name: "w", csi: { driver: "x" } },
      'workspace "w" has no volume source Mallet can provide',
    ],
    [
      "a missing ConfigMap",
      { name: "w", configMap: { name: "nope" } },
      'ConfigMap "nope" was not found among the documents given',
    ],
    [
      "a missing key",
      { name: "w", configMap: { name: "app", items: [{ key: "nope" }] } },
      'ConfigMap "app" has no key "nope"',
    ],
    [
      "a projected downwardAPI source",
      { name: "w", projected: { sources: [{ downwardAPI: {} }] } },
      "projected volumes support configMap and secret sources only",
    ],
  ])("%s is a VolumeError", (_, binding, message) => {
    const error = caught(() => workspaceSource(binding, lookup));
    expect(error).toBeInstanceOf(VolumeError);
    expect((error as Error).message).toBe(message);
  });
});

describe("volumeSource", () => {
  test.each<[string, Record<string, unknown>, VolumeSource]>([
    ["emptyDir", { name: "v", emptyDir: {} }, { type: "emptyDir" }],
    ["hostPath", { name: "v", hostPath: { path: "/var/run" } }, { type: "host", path: "/var/run" }],
    [
      "persistentVolumeClaim",
      { name: "v", persistentVolumeClaim: { claimName: "c" } },
      { type: "claim", claim: "c" },
    ],
    [
      "configMap",
      { name: "v", configMap: { name: "app" } },
      {
        type: "files",
        files: [
          { path: "config.yaml", content: "a: 1", mode: undefined },
          { path: "extra.txt", content: "x", mode: undefined },
        ],
      },
    ],
  ])("%s", (_, volume, expected) => {
    expect(volumeSource(volume, lookup)).toEqual(expected);
  });

  test("a volume with no known source is a VolumeError", () => {
    const error = caught(() => volumeSource({ name: "v", nfs: {} }, lookup));
    expect(error).toBeInstanceOf(VolumeError);
    expect((error as Error).message).toBe('volume "v" has no source Mallet can provide');
  });
});

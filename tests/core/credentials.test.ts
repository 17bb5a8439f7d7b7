import { expect, test } from "bun:test";
import type { DataResource } from "../../src/core/model/resources.ts";
import { credentialFiles } from "../../src/core/task/credentials.ts";

function secret(
  name: string,
  type: string,
  annotations: Record<string, string>,
  data: Record<string, string>,
): DataResource {
  return {
    kind: "Secret",
    apiVersion: "v1",
    name,
    metadata: { name, annotations },
    doc: {
      file: "t.yaml",
      index: 0,
      data: {},
      locate: () => ({ file: "t.yaml", line: 1, col: 1 }),
    },
    specPath: [],
    data,
    type,
  };
}

test("no annotated secrets give no files", () => {
  expect(credentialFiles([secret("plain", "Opaque", {}, { a: "b" })])).toEqual([]);
});

test("an ssh-auth secret for git hosts gives a key, an ssh config and known_hosts", () => {
  const files = credentialFiles([
    secret(
      "deploy",
      "kubernetes.io/ssh-auth",
      { "tekton.dev/git-0": "github.com", "tekton.dev/git-1": "ssh://git.corp:2222" },
      { "ssh-privatekey": "KEY", known_hosts: "github.com ssh-ed25519 AAA" },
    ),
  ]);
  expect(files).toEqual([
    { path: ".ssh/id_deploy", content: "KEY", mode: 0o600 },
    {
      path: ".ssh/config",
      content:
        "Host github.com\n    HostName github.com\n    IdentityFile ~/.ssh/id_deploy\n" +
        "Host git.corp\n    HostName git.corp\n    Port 2222\n    IdentityFile ~/.ssh/id_deploy\n",
      mode: 0o600,
    },
    { path: ".ssh/known_hosts", content: "github.com ssh-ed25519 AAA", mode: 0o600 },
  ]);
});

test("a basic-auth secret gives git credentials and a docker config per annotated host", () => {
  const files = credentialFiles([
    secret(
      "bot",
      "kubernetes.io/basic-auth",
      {
        "tekton.dev/git-0": "https://github.com",
        "tekton.dev/git-1": "gitlab.com",
        "tekton.dev/docker-0": "https://index.docker.io/v1/",
      },
      { username: "bot", password: "p@ss word" },
    ),
  ]);
  expect(files).toEqual([
    {
      path: ".git-credentials",
      content: "https://bot:p%40ss%20word@github.com\nhttps://bot:p%40ss%20word@gitlab.com\n",
      mode: 0o600,
    },
    { path: ".gitconfig", content: "[credential]\n\thelper = store\n", mode: 0o644 },
    {
      path: ".docker/config.json",
      content: JSON.stringify({
        auths: {
          "https://index.docker.io/v1/": { auth: Buffer.from("bot:p@ss word").toString("base64") },
        },
      }),
      mode: 0o600,
    },
  ]);
});

test("an ssh-auth secret without a git annotation is ignored", () => {
  const files = credentialFiles([
    secret("k", "kubernetes.io/ssh-auth", { other: "x" }, { "ssh-privatekey": "KEY" }),
  ]);
  expect(files).toEqual([]);
});

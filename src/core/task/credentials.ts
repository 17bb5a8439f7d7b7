import type { DataResource } from "../model/resources.ts";
import type { CredentialFile } from "./plan.ts";

const GIT = /^tekton\.dev\/git-/;
const DOCKER = /^tekton\.dev\/docker-/;

/**
 * Turns the annotated Secrets of a ServiceAccount into the files Tekton's creds-init writes
 * into the home directory: SSH keys and config, git credentials, docker config.
 */
export function credentialFiles(secrets: readonly DataResource[]): CredentialFile[] {
  const files: CredentialFile[] = [];
  const sshConfig: string[] = [];
  const knownHosts: string[] = [];
  const gitCredentials: string[] = [];
  const dockerAuths: Record<string, { auth: string }> = {};
  for (const secret of secrets) {
    const annotations = Object.entries(secret.metadata.annotations ?? {});
    const gitHosts = annotations.filter(([key]) => GIT.test(key)).map(([, value]) => String(value));
    const dockerHosts = annotations
      .filter(([key]) => DOCKER.test(key))
      .map(([, value]) => String(value));
    const { data } = secret;
    if (secret.type === "kubernetes.io/ssh-auth" && gitHosts.length > 0) {
      const keyPath = `.ssh/id_${secret.name}`;
      files.push({ path: keyPath, content: data["ssh-privatekey"] ?? "", mode: 0o600 });
      for (const host of gitHosts) sshConfig.push(sshHostEntry(host, secret.name));
      if (data.known_hosts) knownHosts.push(data.known_hosts);
    }
    if (secret.type === "kubernetes.io/basic-auth") {
      const user = encodeURIComponent(data.username ?? "");
      const password = encodeURIComponent(data.password ?? "");
      for (const host of gitHosts) gitCredentials.push(withAuth(host, user, password));
      for (const host of dockerHosts) {
        dockerAuths[host] = {
          auth: Buffer.from(`${data.username ?? ""}:${data.password ?? ""}`).toString("base64"),
        };
      }
    }
  }
  if (sshConfig.length > 0)
    files.push({ path: ".ssh/config", content: sshConfig.join(""), mode: 0o600 });
  if (knownHosts.length > 0)
    files.push({ path: ".ssh/known_hosts", content: knownHosts.join("\n"), mode: 0o600 });
  if (gitCredentials.length > 0) {
    files.push({
      path: ".git-credentials",
      content: `${gitCredentials.join("\n")}\n`,
      mode: 0o600,
    });
    files.push({ path: ".gitconfig", content: "[credential]\n\thelper = store\n", mode: 0o644 });
  }
  if (Object.keys(dockerAuths).length > 0) {
    files.push({
      path: ".docker/config.json",
      content: JSON.stringify({ auths: dockerAuths }),
      mode: 0o600,
    });
  }
  return files;
}

function sshHostEntry(host: string, secret: string): string {
  const [name = host, port] = host.replace(/^[a-z]+:\/\//, "").split(":");
  const portLine = port ? `    Port ${port}\n` : "";
  return `Host ${name}\n    HostName ${name}\n${portLine}    IdentityFile ~/.ssh/id_${secret}\n`;
}

function withAuth(host: string, user: string, password: string): string {
  const url = host.includes("://") ? host : `https://${host}`;
  return url.replace("://", `://${user}:${password}@`);
}

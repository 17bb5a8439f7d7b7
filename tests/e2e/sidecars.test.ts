import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { resultOf, runYaml } from "../helpers/mallet.ts";

setDefaultTimeout(60_000);

describe("sidecars", () => {
  test("a step reaches a sidecar's server on localhost", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    results: [{name: body}]
    sidecars:
      - name: web
        image: localhost/standin/busybox
        script: |
          mkdir -p /srv && printf 'served by sidecar' > /srv/index.html
          exec httpd -f -p 8080 -h /srv
        readinessProbe:
          exec: {command: [wget, -q, -O, /dev/null, "http://localhost:8080/"]}
          periodSeconds: 1
    steps:
      - name: fetch
        image: localhost/standin/busybox
        script: wget -q -O $(results.body.path) http://localhost:8080/index.html
`);
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "t", "body")).toBe("served by sidecar");
  });

  test("steps wait for the sidecar's readiness probe to pass", async () => {
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    results: [{name: seen}]
    sidecars:
      - name: slow-start
        image: localhost/standin/busybox
        script: |
          sleep 2
          touch /workspace/ready
          sleep 60
        readinessProbe:
          exec: {command: [test, -f, /workspace/ready]}
          periodSeconds: 1
    steps:
      - name: check
        image: localhost/standin/busybox
        script: |
          if [ -f /workspace/ready ]; then printf ready; else printf early; fi > $(results.seen.path)
`);
    expect(run.exitCode).toBe(0);
    expect(resultOf(run.statuses[0], "t", "seen")).toBe("ready");
  });

  test("a sidecar still running when the steps end is stopped, not waited for", async () => {
    const started = Date.now();
    const run = await runYaml(`
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: t}
spec:
  taskSpec:
    sidecars:
      - {name: forever, image: localhost/standin/busybox, script: sleep 600}
    steps:
      - {name: quick, image: localhost/standin/busybox, script: "true"}
`);
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

import { describe, expect, test } from "bun:test";
import { mallet } from "../helpers/mallet.ts";

// Mistakes on the command line stop mallet before anything runs: exit 2 and one line.
describe("usage errors", () => {
  test("a misspelled option is refused instead of ignored", async () => {
    const run = await mallet(["run", "examples/pipelinerun-build.yaml", "--dryrun"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe("mallet: unknown option --dryrun; see --help\n");
    expect(run.statuses).toEqual([]);
  });

  test("an option's value may itself start with a dash", async () => {
    const run = await mallet([
      "run",
      "examples/pipelinerun-build.yaml",
      "-p",
      "version=-rc1",
      "--dry-run",
    ]);
    expect(run.exitCode).toBe(0);
  });

  test("a host workspace that does not exist is refused", async () => {
    const run = await mallet([
      "run",
      "examples/build-and-test.yaml",
      "-w",
      "name=source,path=/no/such/dir",
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      "mallet: -w name=source,path=/no/such/dir: /no/such/dir is not an existing directory\n",
    );
  });

  test("a missing image map is refused", async () => {
    const run = await mallet([
      "run",
      "examples/pipelinerun-build.yaml",
      "--image-map",
      "/no/such/map.yaml",
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe("mallet: --image-map /no/such/map.yaml: no such file\n");
  });
});

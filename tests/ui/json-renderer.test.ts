import { describe, expect, test } from "bun:test";
import type { JsonRecord, JsonRun } from "../../src/ui/json-format.ts";
import { JsonRenderer } from "../../src/ui/json-renderer.ts";
import { replay } from "../../src/ui/replay.ts";
import { captureOutput, loadEvents } from "./helpers.ts";

async function render(name: Parameters<typeof loadEvents>[0]) {
  const output = captureOutput();
  await replay(loadEvents(name), (now) => new JsonRenderer(output, { now }));
  return output;
}

describe("JSON renderer on recorded runs", () => {
  test("one record per event, byte for byte: the format is documented as stable", async () => {
    const output = await render("results");
    expect(output.errors).toEqual([]);
    expect(output.lines).toEqual([
      '{"v":1,"type":"run-started","time":"2026-12-03T17:49:18.697Z","run":"sum-three-pipeline-run","kind":"PipelineRun","tasks":["first-add","second-add"],"finally":[]}',
      '{"v":1,"type":"task-started","time":"2026-12-03T17:49:18.704Z","run":"sum-three-pipeline-run","task":"first-add","taskRun":"sum-three-pipeline-run-first-add","attempt":0,"steps":["add"],"finally":false}',
      '{"v":1,"type":"step-started","time":"2026-12-03T17:49:18.891Z","run":"sum-three-pipeline-run","task":"first-add","taskRun":"sum-three-pipeline-run-first-add","step":"add"}',
      '{"v":1,"type":"log","time":"2026-12-03T17:49:19.302Z","run":"sum-three-pipeline-run","task":"first-add","taskRun":"sum-three-pipeline-run-first-add","step":"add","stream":"stdout","line":"12"}',
      '{"v":1,"type":"step-finished","time":"2026-12-03T17:49:19.303Z","run":"sum-three-pipeline-run","task":"first-add","taskRun":"sum-three-pipeline-run-first-add","step":"add","container":"step-add","exitCode":0,"terminationReason":"Completed","durationMs":412}',
      '{"v":1,"type":"task-finished","time":"2026-12-03T17:49:19.710Z","run":"sum-three-pipeline-run","task":"first-add","taskRun":"sum-three-pipeline-run-first-add","attempt":0,"durationMs":1008,"willRetry":false,"status":{"name":"sum-three-pipeline-run-first-add","pipelineTask":"first-add","succeeded":true,"condition":{"type":"Succeeded","status":"True","reason":"Succeeded","message":"All Steps have completed executing"},"retryCount":0,"startTime":"2026-12-03T17:49:18.704Z","completionTime":"2026-12-03T17:49:19.710Z","steps":[{"name":"add","container":"step-add","exitCode":0,"terminationReason":"Completed"}],"results":[{"name":"sum","value":"12"}]}}',
      '{"v":1,"type":"task-started","time":"2026-12-03T17:49:19.711Z","run":"sum-three-pipeline-run","task":"second-add","taskRun":"sum-three-pipeline-run-second-add","attempt":0,"steps":["add"],"finally":false}',
      '{"v":1,"type":"step-started","time":"2026-12-03T17:49:19.893Z","run":"sum-three-pipeline-run","task":"second-add","taskRun":"sum-three-pipeline-run-second-add","step":"add"}',
      '{"v":1,"type":"log","time":"2026-12-03T17:49:20.314Z","run":"sum-three-pipeline-run","task":"second-add","taskRun":"sum-three-pipeline-run-second-add","step":"add","stream":"stdout","line":"22"}',
      '{"v":1,"type":"step-finished","time":"2026-12-03T17:49:20.314Z","run":"sum-three-pipeline-run","task":"second-add","taskRun":"sum-three-pipeline-run-second-add","step":"add","container":"step-add","exitCode":0,"terminationReason":"Completed","durationMs":421}',
      '{"v":1,"type":"task-finished","time":"2026-12-03T17:49:20.729Z","run":"sum-three-pipeline-run","task":"second-add","taskRun":"sum-three-pipeline-run-second-add","attempt":0,"durationMs":1018,"willRetry":false,"status":{"name":"sum-three-pipeline-run-second-add","pipelineTask":"second-add","succeeded":true,"condition":{"type":"Succeeded","status":"True","reason":"Succeeded","message":"All Steps have completed executing"},"retryCount":0,"startTime":"2026-12-03T17:49:19.711Z","completionTime":"2026-12-03T17:49:20.729Z","steps":[{"name":"add","container":"step-add","exitCode":0,"terminationReason":"Completed"}],"results":[{"name":"sum","value":"22"}]}}',
      '{"v":1,"type":"run-finished","time":"2026-12-03T17:49:20.730Z","run":"sum-three-pipeline-run","status":{"kind":"PipelineRun","name":"sum-three-pipeline-run","succeeded":true,"condition":{"type":"Succeeded","status":"True","reason":"Succeeded","message":"Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0"},"startTime":"2026-12-03T17:49:18.661Z","completionTime":"2026-12-03T17:49:20.730Z","taskRuns":[{"name":"sum-three-pipeline-run-first-add","pipelineTask":"first-add","succeeded":true,"condition":{"type":"Succeeded","status":"True","reason":"Succeeded","message":"All Steps have completed executing"},"retryCount":0,"startTime":"2026-12-03T17:49:18.704Z","completionTime":"2026-12-03T17:49:19.710Z","steps":[{"name":"add","container":"step-add","exitCode":0,"terminationReason":"Completed"}],"results":[{"name":"sum","value":"12"}]},{"name":"sum-three-pipeline-run-second-add","pipelineTask":"second-add","succeeded":true,"condition":{"type":"Succeeded","status":"True","reason":"Succeeded","message":"All Steps have completed executing"},"retryCount":0,"startTime":"2026-12-03T17:49:19.711Z","completionTime":"2026-12-03T17:49:20.729Z","steps":[{"name":"add","container":"step-add","exitCode":0,"terminationReason":"Completed"}],"results":[{"name":"sum","value":"22"}]}],"skippedTasks":[],"results":[{"name":"sum","value":"22"},{"name":"partial-sum","value":"12"},{"name":"all-sum","value":"22-12"}]}}',
    ]);
  });

  test("the records of a run with retries, a matrix and skips, in order", async () => {
    const records = (await render("showcase")).lines.map((line) => JSON.parse(line) as JsonRecord);
    const summary = records.map((record) => {
      if (record.type === "log") return `log ${record.task}/${record.step}: ${record.line}`;
      if ("taskRun" in record)
        return `${record.type} ${record.taskRun}${"step" in record ? `/${record.step}` : ""}`;
      if ("task" in record) return `${record.type} ${record.task}`;
      return record.type;
    });
    expect(summary.slice(0, 8)).toEqual([
      "run-started",
      "task-started showcase-fetch",
      "task-skipped docs",
      "step-started showcase-fetch/clone",
      "log fetch/clone: cloning repository",
      "log fetch/clone: checked out main",
      "step-finished showcase-fetch/clone",
      "task-finished showcase-fetch",
    ]);
    expect(summary.filter((line) => line.startsWith("task-started showcase-build"))).toEqual([
      "task-started showcase-build-0",
      "task-started showcase-build-1",
    ]);
    expect(records.every((record) => record.v === 1 && record.run === "showcase")).toBe(true);
    const child = records.find(
      (record) => "taskRun" in record && record.taskRun === "showcase-build-1",
    );
    expect(child).toMatchObject({ type: "task-started", task: "build", matrixIndex: 1 });
  });

  test("the last record holds the whole status: reasons, exit codes, retries, skips", async () => {
    const last = JSON.parse((await render("showcase")).lines.at(-1) as string) as JsonRecord;
    if (last.type !== "run-finished") throw new Error(`last record is ${last.type}`);
    const status: JsonRun = last.status;
    expect(status.succeeded).toBe(false);
    expect(status.condition).toEqual({
      type: "Succeeded",
      status: "False",
      reason: "Failed",
      message: "Tasks Completed: 4 (Failed: 1, Cancelled 0), Skipped: 2",
    });
    const unitTest = status.taskRuns.find((run) => run.pipelineTask === "unit-test");
    expect(unitTest?.retryCount).toBe(1);
    expect(unitTest?.condition.message).toBe('"step-test" exited with code 1');
    expect(unitTest?.steps).toEqual([
      { name: "prepare", container: "step-prepare", exitCode: 0, terminationReason: "Completed" },
      { name: "test", container: "step-test", exitCode: 1, terminationReason: "Error" },
      {
        name: "coverage",
        container: "step-coverage",
        exitCode: null,
        terminationReason: "Skipped",
      },
    ]);
    expect(status.skippedTasks).toEqual([
      { name: "docs", reason: "When Expressions evaluated to false" },
      { name: "deploy", reason: "PipelineRun was stopping" },
    ]);
  });
});

import { expect, test } from "bun:test";
import { TaskClock, timerDelay } from "../../src/runner/task-clock.ts";
import { FakeEngine } from "../helpers/fake-engine.ts";

const stops = (engine: FakeEngine) => engine.trace((call) => call.method === "stopContainer");

test("Ctrl-C stops the watched container and cancels the TaskRun", async () => {
  const engine = new FakeEngine();
  const abort = new AbortController();
  const clock = new TaskClock(undefined, abort.signal);
  clock.watch(engine, "mallet-00000001-t-step-a");

  abort.abort();
  await clock.whenStopped;

  expect(clock.stopped).toBe(true);
  expect(stops(engine)).toEqual(["stopContainer t-step-a"]);
  expect(clock.failure("t")).toEqual({
    reason: "TaskRunCancelled",
    message: 'TaskRun "t" was cancelled',
  });
  clock.dispose();
});

test("a container watched after the clock ran out is stopped at once, and again until it ends", async () => {
  const engine = new FakeEngine();
  const clock = new TaskClock(1, new AbortController().signal);
  await clock.whenStopped;

  clock.watch(engine, "mallet-00000001-t-step-a");
  await Bun.sleep(1_200);
  clock.unwatch();
  const count = stops(engine).length;
  await Bun.sleep(600);

  expect(count).toBeGreaterThanOrEqual(3);
  expect(stops(engine)).toHaveLength(count);
  expect(clock.failure("t")).toEqual({
    reason: "TaskRunTimeout",
    message: 'TaskRun "t" failed to finish within "1ms"',
  });
  clock.dispose();
});

test("a step's own timeout stops its container and says so; the TaskRun goes on", async () => {
  const engine = new FakeEngine();
  const clock = new TaskClock(undefined, new AbortController().signal);
  const watch = clock.watch(engine, "mallet-00000001-t-step-a", 20);
  await Bun.sleep(60);
  clock.unwatch();

  expect(watch.stepTimedOut).toBe(true);
  expect(stops(engine)).toEqual(["stopContainer t-step-a"]);
  expect(clock.stopped).toBe(false);
  expect(clock.failure("t")).toBeUndefined();
  clock.dispose();
});

test("race gives up on work when the clock runs out", async () => {
  const abort = new AbortController();
  const clock = new TaskClock(undefined, abort.signal);
  const never = new Promise<string>(() => {});
  setTimeout(() => abort.abort(), 10);
  expect(await clock.race(never)).toBeUndefined();
  expect(await clock.race(Promise.resolve("done"))).toBe("done");
  clock.dispose();
});

test.each([
  [1_000, 1_000],
  [2 ** 31 - 1, 2 ** 31 - 1],
  [30 * 24 * 3600 * 1000, 2 ** 31 - 1],
])("timerDelay(%p) is %p: never a delay that would fire at once", (ms, expected) => {
  expect(timerDelay(ms)).toBe(expected);
});

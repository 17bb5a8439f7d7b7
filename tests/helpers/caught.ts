/** Runs `fn` and returns what it threw, so a test can assert the error's class and fields. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}

/**
 * Ctrl-C and SIGTERM cancel the run: the first aborts (the runner stops and removes what it
 * created); a second forces an immediate exit.
 */
export function installSignalHandlers() {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      process.stderr.write("forced exit: containers may be left; run `mallet prune`\n");
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    received = signal;
    process.stderr.write(
      `${signal === "SIGINT" ? "interrupted" : "terminated"}: stopping and cleaning up (again to force)\n`,
    );
    controller.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    exitCode: () => (received === undefined ? undefined : received === "SIGINT" ? 130 : 143),
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

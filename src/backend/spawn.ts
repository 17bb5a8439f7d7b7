import { spawn } from "node:child_process";

export interface SpawnResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** Receives output as it is written; when set, output is not collected. */
  onOutput?: (stream: "stdout" | "stderr", chunk: Buffer) => void;
  env?: NodeJS.ProcessEnv;
  /** Called with every command before it runs (`--debug`). */
  trace?: (argv: readonly string[]) => void;
  /** Terminates the command when aborted; it then resolves with exit code 143. */
  signal?: AbortSignal;
}

/** Runs an argv (never a shell string) and resolves with its exit code and output. */
export function run(argv: readonly string[], options: SpawnOptions = {}): Promise<SpawnResult> {
  const [command, ...args] = argv;
  if (!command) return Promise.reject(new Error("empty command"));
  options.trace?.(argv);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ?? process.env,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      if (options.onOutput) options.onOutput("stdout", chunk);
      else out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (options.onOutput) options.onOutput("stderr", chunk);
      else err.push(chunk);
    });
    const stop = () => child.kill("SIGTERM");
    options.signal?.addEventListener("abort", stop, { once: true });
    if (options.signal?.aborted) stop();
    child.on("error", reject);
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", stop);
      resolve({
        exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 1;
}

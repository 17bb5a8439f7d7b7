import { spawnSync } from "node:child_process";

/** Whether tmux is installed (scripts/setup.sh installs it). */
export const HAVE_TMUX = spawnSync("tmux", ["-V"]).status === 0;

let sessions = 0;

/** A command running in a detached tmux session: a real pseudo-terminal of a given size. */
export class TmuxSession {
  readonly name = `mallet-test-${process.pid}-${sessions++}`;

  constructor(command: string, size = { width: 120, height: 40 }) {
    const args = [
      "new-session",
      "-d",
      "-s",
      this.name,
      "-x",
      `${size.width}`,
      "-y",
      `${size.height}`,
    ];
    // A server that just lost its last session may still be exiting: try again briefly.
    for (let attempt = 0; ; attempt++) {
      const started = spawnSync("tmux", [...args, `${command}; sleep 120`], { encoding: "utf8" });
      if (started.status === 0) return;
      if (attempt === 20) throw new Error(`tmux: ${started.stderr}`);
      Bun.sleepSync(100);
    }
  }

  /** The screen's lines as text, without trailing blank lines. */
  screen(): string[] {
    const shown = spawnSync("tmux", ["capture-pane", "-p", "-t", this.name], { encoding: "utf8" });
    const lines = shown.stdout.split("\n").map((line) => line.trimEnd());
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines;
  }

  /** Waits until the screen shows `text`, and returns it. */
  async waitFor(text: string, timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const screen = this.screen();
      if (screen.some((line) => line.includes(text))) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`"${text}" did not show up; the screen was:\n${this.screen().join("\n")}`);
  }

  kill(): void {
    spawnSync("tmux", ["kill-session", "-t", this.name]);
  }
}

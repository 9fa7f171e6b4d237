import { constants } from "node:os";

/** The signals that stop a run: Ctrl-C's, and the one `kill` and `timeout` send by default. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * One Ctrl-C or one `timeout` can deliver its signal more than once: a terminal signals npm, tsx and
 * node alike, npm and tsx each pass on what they get to their child, and `timeout` signals its child
 * and then its whole process group. Copies arriving within this long are one interruption.
 */
export const SAME_INTERRUPTION_MS = 1000;

/** The shell's exit status of a process ended by `signal`. */
const signalExitCode = (signal: StopSignal) => 128 + constants.signals[signal];

/**
 * How a run meets stop signals. The first aborts `signal`: the run stops at its next step or wait,
 * and the caller cleans up. Copies of it are ignored. A later one, sent on purpose, quits at once,
 * after printing what `quitting()` says (what is left and the command that cleans it up).
 */
export class Interruption {
  private readonly controller = new AbortController();
  private first?: { signal: StopSignal; at: number };
  private readonly handlers = STOP_SIGNALS.map((name) => [name, () => this.receive(name)] as const);

  constructor(
    private readonly log: (line: string) => void,
    private readonly quitting: () => string,
  ) {
    for (const [name, handler] of this.handlers) process.on(name, handler);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit status for the signal that interrupted the run; undefined when none did. */
  get exitCode(): number | undefined {
    return this.first && signalExitCode(this.first.signal);
  }

  /** Stops listening: signals are back to Node's defaults. */
  detach(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
  }

  private receive(signal: StopSignal): void {
    const now = performance.now();
    if (!this.first) {
      this.first = { signal, at: now };
      this.log(`${signal === "SIGINT" ? "interrupted" : signal}: stopping, then cleaning up (Ctrl-C again to quit at once)`);
      this.controller.abort(new Error(`stopped by ${signal}`));
      return;
    }
    if (now - this.first.at < SAME_INTERRUPTION_MS) return;
    this.log(this.quitting());
    process.exit(signalExitCode(signal));
  }
}

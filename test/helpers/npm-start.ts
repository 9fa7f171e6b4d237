import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ROOT = resolve(import.meta.dirname, "../..");

export interface NpmStartRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Signals sent to the run once `after` is printed, `gapMs` apart. */
export interface Interrupt {
  after: string;
  signals: NodeJS.Signals[];
  gapMs?: number;
}

export interface NpmStartOptions {
  env?: Record<string, string>;
  /** SIGKILL once this text is printed. */
  killAfter?: string;
  interrupt?: Interrupt;
  /**
   * Run `npm start` itself (npm, then tsx, then node) in a process group of its own, and send each
   * of `interrupt`'s signals as `timeout` does: to npm, then to the whole group (a terminal's Ctrl-C
   * reaches every process of the group too). npm and tsx each pass on what they get, so the flow
   * receives every signal several times.
   */
  throughNpm?: boolean;
}

/**
 * `npm start` in a child process, its stdout and stderr collected: node --import tsx (so a kill
 * reaches the flow itself), or npm itself with `throughNpm`. With `env`, the child gets only PATH,
 * HOME and those variables (no endpoint override or profile leaks in from the test's own
 * environment).
 */
export function npmStart(args: string[], options: NpmStartOptions = {}): Promise<NpmStartRun> {
  const env = options.env && { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), ...options.env };
  const [command, commandArgs] = options.throughNpm ? ["npm", ["start", "--silent", "--", ...args]] : [process.execPath, ["--import", "tsx", "lib/cli.ts", ...args]];
  return new Promise((done, fail) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: options.throughNpm === true, ...(env && { env }) });
    const send = (signal: NodeJS.Signals) => {
      child.kill(signal);
      if (!options.throughNpm) return;
      try {
        process.kill(-child.pid!, signal);
      } catch (error) {
        // The whole group has ended already.
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    };
    let interrupted = false;
    const interrupt = async ({ signals, gapMs = 0 }: Interrupt) => {
      for (const [i, signal] of signals.entries()) {
        if (i > 0) await sleep(gapMs);
        if (child.exitCode === null && child.signalCode === null) send(signal);
      }
    };
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.killAfter && output.includes(options.killAfter)) child.kill("SIGKILL");
      if (options.interrupt && !interrupted && output.includes(options.interrupt.after)) {
        interrupted = true;
        interrupt(options.interrupt).catch(fail);
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code, signal, output }));
  });
}

import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface NpmStartRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * `npm start` in one child process (node --import tsx, so a kill reaches the flow itself), its
 * stdout and stderr collected. With `env`, the child gets only PATH, HOME and those variables (no
 * endpoint override or profile leaks in from the test's own environment); with `killAfter`, it is
 * SIGKILLed once that text is printed.
 */
export function npmStart(args: string[], options: { env?: Record<string, string>; killAfter?: string } = {}): Promise<NpmStartRun> {
  const env = options.env && { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), ...options.env };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...(env && { env }) });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.killAfter && output.includes(options.killAfter)) child.kill("SIGKILL");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code, signal, output }));
  });
}

import { spawn } from "node:child_process";
import { DATA_PATHS } from "../lib/flow/s3-transfer.ts";

const CANDIDATES = 3;

/** Runs `npm start` (in one node process) and returns its output and wall time. */
function runStart(args: string[]): Promise<{ output: string; seconds: number; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ output, code, seconds: (performance.now() - started) / 1000 }));
  });
}

/** `npm start` on the local AWS, once per data path: wall time of the process and of each step it prints. */
export async function benchFlow(): Promise<void> {
  console.log(`npm start on the local AWS, --max-candidates ${CANDIDATES} (seconds)`);
  for (const dataPath of DATA_PATHS) {
    const run = await runStart(["--data-path", dataPath, "--max-candidates", String(CANDIDATES)]);
    if (run.code !== 0) throw new Error(`npm start --data-path ${dataPath} failed:\n${run.output}`);
    const steps = [...run.output.matchAll(/^✔ (\S+) \((\d+\.\d+) s\)$/gm)].map(([, step, seconds]) => `${step} ${seconds}`);
    console.log(`  ${dataPath.padEnd(7)} total ${run.seconds.toFixed(2)} (process, incl. start-up): ${steps.join(", ")}`);
  }
}

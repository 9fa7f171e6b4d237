import { readFileSync } from "node:fs";

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Runs `task` with `concurrency` workers for `seconds` and returns completed calls per second. */
export async function throughput(task: () => Promise<unknown>, { seconds = 3, concurrency = 8 } = {}): Promise<{ perSecond: number; calls: number }> {
  for (let i = 0; i < concurrency; i++) await task();
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await task();
        done++;
      }
    }),
  );
  return { perSecond: done / ((performance.now() - started) / 1000), calls: done };
}

export interface BenchRow {
  name: string;
  perSecond: number;
  /** Server CPU time per request, in microseconds. */
  serverCpuMicros: number;
}

export function report(rows: BenchRow[]): void {
  const baseline = rows[0]!.serverCpuMicros;
  for (const { name, perSecond, serverCpuMicros } of rows) {
    const ratio = rows[0]!.name === name ? "" : `  (${(serverCpuMicros / baseline).toFixed(1)}x the health check's CPU)`;
    console.log(`${name.padEnd(44)} ${perSecond.toFixed(0).padStart(7)} req/s  server CPU ${serverCpuMicros.toFixed(0).padStart(5)} µs/req${ratio}`);
  }
}

/** Runs `task` with `concurrency` workers for `seconds` and returns completed calls per second. */
export async function throughput(task: () => Promise<unknown>, { seconds = 3, concurrency = 8 } = {}): Promise<number> {
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
  return done / ((performance.now() - started) / 1000);
}

export function report(rows: { name: string; perSecond: number; baseline?: number }[]): void {
  for (const { name, perSecond, baseline } of rows) {
    const ratio = baseline ? `  (${(perSecond / baseline).toFixed(2)}x of unsigned health check)` : "";
    console.log(`${name.padEnd(44)} ${perSecond.toFixed(0).padStart(7)} req/s${ratio}`);
  }
}

import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";

/**
 * A worker thread running `<name>` of this directory: compiled (`<name>.js`) when the server runs
 * from lib/dist, else its `.ts` source through tsx (job-worker-from-source.mjs).
 */
export function startWorker(name: string, workerData: unknown): Worker {
  const compiled = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(compiled)) return new Worker(compiled, { workerData });
  return new Worker(new URL("./job-worker-from-source.mjs", import.meta.url), { workerData, argv: [`./${name}.ts`] });
}

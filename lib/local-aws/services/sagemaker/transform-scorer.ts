import type { Worker } from "node:worker_threads";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import type { LineBatch } from "./transform-io.ts";
import type { TransformMessage, TransformReply } from "./transform-protocol.ts";
import { startWorker } from "./worker-script.ts";

/** Mini-batches the model refused, with the lines to blame (or the service failed, `lines` absent). */
export class BatchFailure extends Error {
  constructor(
    readonly lines: readonly [number, number] | undefined,
    message: string,
  ) {
    super(message);
  }
}

type Load = Omit<Extract<TransformMessage, { type: "load" }>, "type">;
type Pending = { resolve: (output: Buffer) => void; reject: (error: Error) => void };

/**
 * Worker threads kept between jobs, idle ones not holding the process open: starting one from
 * the TypeScript sources takes about a second, which every job would otherwise pay.
 */
const workers = new WeakMap<Store, { idle: Worker[]; busy: Set<Worker> }>();
const poolOf = (store: Store) => {
  let pool = workers.get(store);
  if (!pool) {
    pool = { idle: [], busy: new Set() };
    workers.set(store, pool);
  }
  return pool;
};

/** Server shutdown: every transform worker ends; the jobs they served end without an outcome. */
export async function closeTransformWorkers(store: Store): Promise<void> {
  const pool = poolOf(store);
  const all = [...pool.idle, ...pool.busy];
  pool.idle.length = 0;
  pool.busy.clear();
  await Promise.all(all.map((worker) => worker.terminate()));
}

/** A transform job's model in a worker thread: mini-batches in, their output out. */
export class TransformScorer {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private ended: Error | undefined;
  private readonly onReply = (reply: TransformReply) => {
    if (reply.type === "transformed") this.settle(reply.id, (pending) => pending.resolve(Buffer.from(reply.output.buffer, reply.output.byteOffset, reply.output.byteLength)));
    else if (reply.type === "failed") this.settle(reply.id, (pending) => pending.reject(new BatchFailure(reply.lines, reply.message)));
  };
  private readonly onError = (error: Error) => this.end(error);
  private readonly onExit = (code: number) => this.end(new Error(`the transform's worker thread exited with code ${code}`));

  private constructor(
    private readonly store: Store,
    private readonly worker: Worker,
  ) {
    worker.on("message", this.onReply);
    worker.on("error", this.onError);
    worker.on("exit", this.onExit);
  }

  /** A worker with the job's model loaded: a model that does not load is the job's ModelLoadFailure. */
  static async start(store: Store, load: Load): Promise<TransformScorer> {
    const pool = poolOf(store);
    const worker = pool.idle.pop() ?? startWorker("transform-worker", undefined);
    worker.ref();
    pool.busy.add(worker);
    try {
      await new Promise<void>((resolve, reject) => {
        const settle = (error?: Error) => {
          worker.off("message", first).off("error", settle).off("exit", exited);
          if (error) reject(error);
          else resolve();
        };
        const first = (reply: TransformReply) => settle(reply.type === "load-failed" ? new AwsError("ModelLoadFailure", reply.message, 400) : undefined);
        const exited = (code: number) => settle(new Error(`the transform's worker thread exited with code ${code} before the model loaded`));
        worker.on("message", first).on("error", settle).on("exit", exited);
        worker.postMessage({ type: "load", ...load } satisfies TransformMessage);
      });
    } catch (error) {
      pool.busy.delete(worker);
      if (error instanceof AwsError) TransformScorer.idle(pool, worker);
      else void worker.terminate();
      throw error;
    }
    return new TransformScorer(store, worker);
  }

  transform(batch: LineBatch): Promise<Buffer> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.nextId++;
    // A copy of exactly the batch, handed over rather than cloned (a Buffer may view a larger pool).
    const bytes = new Uint8Array(batch.bytes);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: "batch", id, bytes, firstLine: batch.firstLine } satisfies TransformMessage, [bytes.buffer]);
    });
  }

  /** Done with the job: the worker waits for the next one, unless it is still busy with this one's batches (then it ends). */
  async release(): Promise<void> {
    this.worker.off("message", this.onReply).off("error", this.onError).off("exit", this.onExit);
    const pool = poolOf(this.store);
    if (!pool.busy.delete(this.worker)) return;
    if (this.pending.size > 0 || this.ended) {
      this.end(new Error("the transform job ended"));
      await this.worker.terminate();
    } else {
      TransformScorer.idle(pool, this.worker);
    }
  }

  private static idle(pool: { idle: Worker[] }, worker: Worker): void {
    worker.unref();
    pool.idle.push(worker);
  }

  private end(error: Error): void {
    this.ended ??= error;
    for (const pending of this.pending.values()) pending.reject(this.ended);
    this.pending.clear();
  }

  private settle(id: number, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (pending) action(pending);
  }
}

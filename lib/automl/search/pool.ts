import { Worker } from "node:worker_threads";
import type { FitContext, FitRequest, FitResult } from "./fit-task.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

/** Raised for work the pool gave up on: a hard time limit passed, or the pool was closed. */
export class FitInterrupted extends Error {
  override name = "FitInterrupted";
}

interface Job {
  request: FitRequest;
  hardLimitMs: number | undefined;
  resolve(result: FitResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Worker threads that fit candidates. Each receives the job's data once (shares it, when it is in
 * SharedArrayBuffers: see `inSharedMemory`). A fit that overruns its hard limit (a learner
 * ignoring its deadline) has its thread terminated and replaced; a thread that crashes breaks the
 * pool, failing every fit with the crash's error.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly waiting: Job[] = [];
  private closed = false;
  private broken: Error | undefined;

  constructor(
    readonly size: number,
    private readonly context: FitContext,
  ) {
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: undefined!, job: undefined, timer: undefined };
      this.start(slot);
      return slot;
    });
  }

  run(request: FitRequest, hardLimitMs?: number): Promise<FitResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new FitInterrupted("the worker pool is closed"));
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, hardLimitMs, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every thread; fits under way or waiting are rejected with FitInterrupted. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new FitInterrupted("the search was stopped"));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private start(slot: Slot): void {
    const worker = new Worker(WORKER_SCRIPT, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    slot.worker = worker;
    const current = () => slot.worker === worker && !this.closed;
    worker.on("message", (message: FromWorker) => {
      if (!current()) return;
      const job = this.finish(slot);
      if (message.type === "result") job?.resolve(message.result);
      else job?.reject(new Error(message.message));
      this.dispatch();
    });
    worker.on("error", (error) => {
      if (current()) this.breakDown(error);
    });
    worker.on("exit", (code) => {
      if (current()) this.breakDown(new Error(`a search worker exited unexpectedly with code ${code}`));
    });
    worker.postMessage({ type: "init", context: this.context } satisfies ToWorker);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.closed) continue;
      const job = this.waiting.shift();
      if (!job) return;
      slot.job = job;
      const limit = job.hardLimitMs;
      if (limit !== undefined) {
        slot.timer = setTimeout(() => this.replace(slot, new FitInterrupted(`a fit ran past its hard limit of ${(limit / 1000).toFixed(1)} s`)), limit);
      }
      slot.worker.postMessage({ type: "fit", request: job.request } satisfies ToWorker);
    }
  }

  private finish(slot: Slot): Job | undefined {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  /** Fails the slot's fit, terminates its thread and starts a fresh one in its place. */
  private replace(slot: Slot, error: Error): void {
    this.finish(slot)?.reject(error);
    const overrunning = slot.worker;
    this.start(slot);
    void overrunning.terminate();
    this.dispatch();
  }

  private breakDown(error: Error): void {
    this.broken = error;
    this.closed = true;
    this.failAll(error);
    for (const slot of this.slots) void slot.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const job of this.waiting.splice(0)) job.reject(error);
    for (const slot of this.slots) this.finish(slot)?.reject(error);
  }
}

/**
 * A worker's young generation (where V8 puts new objects). By default it grows to some 30 MB per
 * thread; fits allocate few short-lived objects (their data is in typed arrays), and with 8 MB
 * each thread's heap is some 25 MB smaller for the same fit times (measured on 50,000 rows).
 */
const YOUNG_GENERATION_MB = 8;

/** From TypeScript sources (tsx, vitest) the worker is started through tsx; from the build, as is. */
const WORKER_SCRIPT = new URL(import.meta.url.endsWith(".ts") ? "./worker-from-source.mjs" : "./worker.js", import.meta.url);

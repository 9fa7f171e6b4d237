import type { FitContext, FitRequest, FitResult } from "./fit-task.ts";

/** Messages between the search and its worker threads. */
export type ToWorker = { type: "init"; context: FitContext } | { type: "fit"; request: FitRequest };

export type FromWorker = { type: "result"; result: FitResult } | { type: "error"; message: string };

import { parentPort } from "node:worker_threads";
import { RoundCache, runFit, type FitContext } from "./fit-task.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

/** A worker thread of the search: receives the job's data once, then fits candidates on request. */
const port = parentPort;
if (!port) throw new Error("search/worker.ts runs only as a worker thread");

let context: FitContext | undefined;
const cache = new RoundCache();

port.on("message", (message: ToWorker) => {
  if (message.type === "init") {
    context = message.context;
    return;
  }
  let reply: FromWorker;
  try {
    if (!context) throw new Error("fit requested before the worker received its data");
    reply = { type: "result", result: runFit(context, message.request, cache) };
  } catch (error) {
    reply = { type: "error", message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, reply.type === "result" ? [reply.result.output.buffer as ArrayBuffer] : []);
});

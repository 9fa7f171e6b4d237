// A SageMaker job's engine run, in a worker thread so the server keeps answering while it trains.
import { parentPort, workerData } from "node:worker_threads";
import { AutoMLInputError, runAutoML, type AutoMLOptions } from "../../../automl/index.ts";
import { jobOutputs, summarize } from "./job-outputs.ts";
import type { JobWorkerInput, JobWorkerMessage } from "./job-protocol.ts";

const port = parentPort!;
const input = workerData as JobWorkerInput;
const abort = new AbortController();
port.on("message", (message: { type: "stop" }) => {
  if (message.type === "stop") abort.abort();
});

const post = (message: JobWorkerMessage) => port.postMessage(message);

const options: AutoMLOptions = {
  ...input.options,
  csv: input.csv,
  signal: abort.signal,
  onProgress: (progress) => post({ type: "progress", progress }),
  onCandidate: (candidate) => post({ type: "candidate", candidate }),
};

try {
  const result = await runAutoML(options);
  post({ type: "result", summary: summarize(result), outputs: jobOutputs(input.outputs, result, input.csv) });
} catch (error) {
  if (abort.signal.aborted) post({ type: "stopped" });
  else post({ type: "failed", clientError: error instanceof AutoMLInputError, message: error instanceof Error ? error.message : String(error) });
}
port.close();

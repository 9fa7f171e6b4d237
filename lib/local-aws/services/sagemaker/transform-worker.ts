// Transform jobs' models, in a worker thread so transforming large inputs never holds up the server's requests.
import { parentPort } from "node:worker_threads";
import { buildModel, invokeModel, type LoadedModel } from "./serving/model.ts";
import { RecordFailure, transformBatch, type TransformSettings } from "./transform-batch.ts";
import type { TransformMessage, TransformReply } from "./transform-protocol.ts";

const port = parentPort!;
const post = (reply: TransformReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
const encoder = new TextEncoder();
let job: { model: LoadedModel; settings: TransformSettings } | undefined;

port.on("message", (message: TransformMessage) => {
  if (message.type === "load") {
    try {
      job = { model: buildModel(message.modelName, message.containers), settings: message.settings };
      post({ type: "ready" });
    } catch (error) {
      job = undefined;
      post({ type: "load-failed", message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  const { id, bytes, firstLine } = message;
  try {
    if (!job) throw new Error("a mini-batch came before a model was loaded");
    const { model, settings } = job;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    const output = encoder.encode(transformBatch(settings, (invocation) => invokeModel(model, invocation), { text, firstLine }));
    post({ type: "transformed", id, output }, [output.buffer as ArrayBuffer]);
  } catch (error) {
    if (error instanceof RecordFailure) post({ type: "failed", id, lines: error.lines, message: error.message });
    else post({ type: "failed", id, message: error instanceof Error ? error.message : String(error) });
  }
});

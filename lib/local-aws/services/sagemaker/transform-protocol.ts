import type { ContainerData } from "./serving/model.ts";
import type { TransformSettings } from "./transform-batch.ts";

/** What a worker thread is told: a job's model and settings to load (replacing the last job's), or a mini-batch of whole lines. */
export type TransformMessage =
  | { type: "load"; modelName: string; containers: ContainerData[]; settings: TransformSettings }
  | { type: "batch"; id: number; bytes: Uint8Array; firstLine: number };

export type TransformReply =
  | { type: "ready" }
  | { type: "load-failed"; message: string }
  | { type: "transformed"; id: number; output: Uint8Array }
  /** `lines`: the record (or run of records) at fault; none when the service, not the data, failed. */
  | { type: "failed"; id: number; lines?: readonly [number, number]; message: string };

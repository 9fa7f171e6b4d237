import type { AutoMLOptions, AutoMLProgress, LeaderboardEntry } from "../../../automl/index.ts";
import type { JobOutputs, JobOutputsSpec, JobSummary } from "./job-outputs.ts";

export interface JobWorkerInput {
  csv: string;
  options: Omit<AutoMLOptions, "csv" | "table" | "signal" | "onProgress" | "onCandidate">;
  outputs: JobOutputsSpec;
}

export type JobWorkerMessage =
  | { type: "progress"; progress: AutoMLProgress }
  | { type: "candidate"; candidate: LeaderboardEntry }
  | { type: "result"; summary: JobSummary; outputs: JobOutputs }
  | { type: "failed"; clientError: boolean; message: string }
  /** Stopped before any candidate completed: the job ends Stopped, with no best candidate. */
  | { type: "stopped" };

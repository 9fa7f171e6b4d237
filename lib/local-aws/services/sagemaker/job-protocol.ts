import type { AutoMLOptions, AutoMLProgress, AutoMLResult, LeaderboardEntry } from "../../../automl/index.ts";

export interface JobWorkerInput {
  csv: string;
  options: Omit<AutoMLOptions, "csv" | "table" | "signal" | "onProgress" | "onCandidate">;
}

export type JobWorkerMessage =
  | { type: "progress"; progress: AutoMLProgress }
  | { type: "candidate"; candidate: LeaderboardEntry }
  | { type: "result"; result: AutoMLResult }
  | { type: "failed"; clientError: boolean; message: string };

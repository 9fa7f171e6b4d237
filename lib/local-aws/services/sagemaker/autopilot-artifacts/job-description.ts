import type { MetricName, ProblemType } from "../../../../automl/index.ts";

/** Autopilot's training modes (AutoMLJobConfig.Mode); AUTO resolves to one of them before training. */
export type AutopilotMode = "ENSEMBLING" | "HYPERPARAMETER_TUNING";

/** CreateAutoMLJob's AutoMLJobCompletionCriteria as the job was created with it. */
export interface CompletionCriteria {
  MaxCandidates?: number;
  MaxRuntimePerTrainingJobInSeconds?: number;
  MaxAutoMLJobRuntimeInSeconds?: number;
}

/** What the reports say about the job that produced them, as the API describes it. */
export interface AutopilotJobDescription {
  jobName: string;
  roleArn: string;
  /** The training data's S3 prefix (InputDataConfig's S3Uri). */
  inputS3Uri: string;
  /** OutputDataConfig.S3OutputPath, without the job's name. */
  outputS3Path: string;
  target: string;
  mode: AutopilotMode;
  /** As resolved for the job (inferred when the request left it out). */
  problemType: ProblemType;
  objective: MetricName;
  completionCriteria: CompletionCriteria;
  /** The engine's seed; the same data, seed and candidate budget give the same leaderboard. */
  seed: number;
}

import type { DataAnalysis } from "./analysis/index.ts";
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, ENGINE_VERSION, type AutoMLArtifact } from "./artifact.ts";
import type { Params } from "./learners/types.ts";
import { metricDirection, type MetricName } from "./metrics.ts";
import type { PredictorSpec } from "./predictor.ts";
import type { OutputMap } from "./output-maps.ts";
import type { CandidateOutcome } from "./search/candidates.ts";
import { DEFAULT_THRESHOLD } from "./search/threshold.ts";

/** A candidate as the leaderboard shows it. */
export interface LeaderboardEntry {
  rank: number;
  /** Order of creation, from 1 (the trial number, in ensembling trials). */
  trial: number;
  name: string;
  algorithm: CandidateOutcome["algorithm"];
  hyperparameters: Params;
  status: CandidateOutcome["status"];
  /** Stopped by successive halving after its first validation round (status Stopped). */
  stoppedEarly: boolean;
  /** Why a candidate is not Completed (Autopilot's FailureReason). */
  failureReason?: string;
  /** The objective on validation rows (out-of-fold under cross-validation); null unless Completed. */
  objective: number | null;
  /** Every metric that applies to the problem type, on the same rows (log loss among them, for classification). */
  metrics: CandidateOutcome["metrics"];
  /** Binary: the decision threshold on P(positive class) the metrics were computed at (Completed only). */
  decisionThreshold?: number;
  /** How the output was calibrated on validation, when calibration paid (see `OutputMap`). */
  calibration?: OutputMap["kind"];
  fitSeconds: number;
}

export function leaderboardEntry(candidate: CandidateOutcome, rank: number): LeaderboardEntry {
  return {
    rank,
    trial: candidate.index + 1,
    name: candidate.name,
    algorithm: candidate.algorithm,
    hyperparameters: candidate.params,
    status: candidate.status,
    stoppedEarly: candidate.stoppedEarly === true,
    ...(candidate.failureReason !== undefined && { failureReason: candidate.failureReason }),
    objective: candidate.status === "Completed" ? candidate.objective : null,
    metrics: candidate.metrics,
    ...(candidate.threshold !== undefined && { decisionThreshold: candidate.threshold }),
    ...(candidate.calibration && { calibration: candidate.calibration.kind }),
    fitSeconds: candidate.fitSeconds,
  };
}

/** The candidate as a self-describing artifact around the given predictor. */
export function buildArtifact(
  job: { analysis: DataAnalysis; objective: MetricName },
  candidate: CandidateOutcome,
  predictor: PredictorSpec,
  refitted: boolean,
): AutoMLArtifact {
  const { analysis, objective } = job;
  return {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    engineVersion: ENGINE_VERSION,
    candidate: { name: candidate.name, algorithm: candidate.algorithm, hyperparameters: candidate.params, refitted },
    problemType: analysis.target.problemType,
    target: analysis.target.name,
    labels: analysis.target.labels,
    ...(analysis.target.problemType === "BinaryClassification" && { decisionThreshold: candidate.threshold ?? DEFAULT_THRESHOLD }),
    objective: { metric: objective, direction: metricDirection(objective), validationValue: candidate.objective },
    inputColumns: analysis.columns.map(({ name, kind, role, dateOrder }) => ({ name, kind, role, ...(dateOrder !== undefined && { dateOrder }) })),
    predictor,
  };
}

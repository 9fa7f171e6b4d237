import type { Algorithm, Params } from "../learners/types.ts";
import type { MetricName } from "../metrics.ts";
import type { PredictorSpec } from "../predictor.ts";
import type { FitSpec } from "./fit-task.ts";

/** A candidate as the search leaves it: trained, scored, or why not. */
export interface CandidateOutcome {
  name: string;
  /** Order of creation; breaks ties in the ranking. */
  index: number;
  algorithm: Algorithm | "ensemble";
  params: Params;
  /**
   * What to train on every row to refit the candidate: its own fit with the iteration count that
   * validation settled on, or its members' for an ensemble.
   */
  refits: FitSpec[];
  /** An ensemble's weight for each refit; equal weights when absent. */
  weights?: number[];
  status: "Completed" | "Failed" | "Stopped";
  /** Stopped by successive halving after its first validation round, rather than by the job's end. */
  stoppedEarly?: boolean;
  /** Why a candidate is not Completed. */
  failureReason?: string;
  /** Validation output on the scored rows (Completed only). */
  output?: Float64Array;
  metrics: Partial<Record<MetricName, number>>;
  /** The objective metric's validation value; NaN unless Completed. */
  objective: number;
  /** The candidate as validated: its fold models averaged (Completed only). */
  predictor?: PredictorSpec;
  fitSeconds: number;
}

import type { Algorithm, Params } from "../learners/types.ts";
import type { MetricName } from "../metrics.ts";
import type { PredictorSpec } from "../predictor.ts";
import type { OutputMap } from "../output-maps.ts";
import type { RefitPlan } from "./refit-plan.ts";

/** A candidate as the search leaves it: trained, scored, or why not. */
export interface CandidateOutcome {
  name: string;
  /** Order of creation; breaks ties in the ranking. */
  index: number;
  algorithm: Algorithm | "ensemble";
  params: Params;
  /** What to train on every row to refit the candidate (Completed only). */
  refit?: RefitPlan;
  status: "Completed" | "Failed" | "Stopped";
  /** Stopped by successive halving after its first validation round, rather than by the job's end. */
  stoppedEarly?: boolean;
  /** Why a candidate is not Completed. */
  failureReason?: string;
  /** Validation output on the scored rows, as calibrated (Completed only). */
  output?: Float64Array;
  metrics: Partial<Record<MetricName, number>>;
  /** The objective metric's validation value; NaN unless Completed. */
  objective: number;
  /** The candidate as validated: its fold models averaged, behind its calibration (Completed only). */
  predictor?: PredictorSpec;
  /** Binary, Completed: the decision threshold on P(positive class), tuned where the objective gains from it, else 0.5. */
  threshold?: number;
  /** How validation calibrated the output (Completed only, and only where calibration paid). */
  calibration?: OutputMap;
  fitSeconds: number;
}

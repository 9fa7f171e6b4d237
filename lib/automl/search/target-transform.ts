import type { Params, Task } from "../learners/types.ts";
import type { OutputMap } from "../output-maps.ts";

/**
 * A candidate's hyperparameter beside its learner's: "log" trains the learner on log(target) and
 * maps its predictions back with exp. Right-skewed positive targets (prices, amounts, counts of
 * things) are often multiplicative in their features, additive in their log, and their largest
 * values dominate a squared error fitted on the raw scale. Validation judges each candidate on the
 * raw scale, so the log is kept only where it pays; the calibration that follows (an affine refit
 * on out-of-fold predictions) takes out the bias of exp(mean log), which estimates a median.
 */
export const TARGET_TRANSFORM_PARAM = "targetTransform";

/** Sample skewness above which a distribution counts as (at least moderately) skewed. */
const SKEWED = 0.5;

/** Whether a log target is worth trying: a regression target whose values are all positive and skewed right. */
export function logTargetEligible(task: Task, y: Float64Array): boolean {
  if (task.kind !== "regression" || y.length < 3 || y.some((value) => !(value > 0))) return false;
  let mean = 0;
  for (const value of y) mean += value / y.length;
  let second = 0;
  let third = 0;
  for (const value of y) {
    second += (value - mean) ** 2 / y.length;
    third += (value - mean) ** 3 / y.length;
  }
  return second > 0 && third / second ** 1.5 > SKEWED;
}

/** The learner's own hyperparameters, and whether the candidate trains on log(target). */
export function splitTargetTransform(params: Params): { params: Params; logTarget: boolean } {
  const { [TARGET_TRANSFORM_PARAM]: transform, ...rest } = params;
  if (transform !== undefined && transform !== "log") throw new Error(`${TARGET_TRANSFORM_PARAM} must be "log" when given, got ${JSON.stringify(transform)}`);
  return { params: rest, logTarget: transform === "log" };
}

/**
 * log(target), and the map back, which keeps predictions within the log range trained on: a
 * linear model or network extrapolating on the log scale would otherwise predict exponentially
 * far beyond any target seen.
 */
export function logTarget(y: Float64Array): { values: Float64Array; back: OutputMap } {
  const values = y.map(Math.log);
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  return { values, back: { kind: "exp", low, high } };
}

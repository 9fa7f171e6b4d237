import type { Task } from "../learners/types.ts";
import { computeAllMetrics, computeMetric, isBetter, metricDirection, type MetricName } from "../metrics.ts";
import { applyOutputMap, type OutputMap } from "../output-maps.ts";
import type { ProblemType } from "../problem.ts";
import { crossFittedCalibration, fitCalibration } from "./calibration.ts";
import type { ScoredRows } from "./scored-rows.ts";
import { DEFAULT_THRESHOLD, tunesThreshold, tuneThreshold } from "./threshold.ts";

export interface FinishSettings {
  objective: MetricName;
  problemType: ProblemType;
  task: Task;
  scored: ScoredRows;
}

/** A candidate's validation output as it will predict: calibrated where that pays, with its decision threshold. */
export interface FinishedOutput {
  output: Float64Array;
  metrics: Partial<Record<MetricName, number>>;
  objective: number;
  /** Binary only: the decision threshold, tuned where the objective gains from it (see `TUNED_THRESHOLD_METRICS`), else 0.5. */
  threshold?: number;
  calibration?: OutputMap;
}

/**
 * The least share by which cross-fitted calibration must improve on the raw output to be kept:
 * on 2,000 rows of a perfectly calibrated binary model, cross-fitted Platt scaling's log loss came
 * out between 0.5 % worse and 0.2 % better, by chance alone.
 */
const MIN_CALIBRATION_GAIN = 0.005;

/** Parts for cross-fitted calibration when validation has a single round (a holdout). */
const HOLDOUT_PARTS = 5;

/**
 * Calibrates a candidate's raw validation output and settles its decision threshold. The
 * calibration map is fitted on every scored row and kept only when it pays: when the output
 * calibrated part by part by maps that never saw the part's rows has a lower log loss (for
 * regression, a better objective) than the raw output, by MIN_CALIBRATION_GAIN at least, and
 * the objective is no worse. The
 * threshold is then tuned on the output as calibrated (see `TUNED_THRESHOLD_METRICS`).
 */
export function finishOutput(raw: Float64Array, settings: FinishSettings): FinishedOutput {
  const { task, scored } = settings;
  const plain = assess(raw, settings);
  const map = fitCalibration(task, scored.y, raw);
  if (!map) return plain;
  const crossFitted = crossFittedCalibration(task, scored.y, raw, calibrationParts(scored));
  if (!crossFitted) return plain;
  const calibrated = { ...assess(applyOutputMap(map, raw), settings), calibration: map };
  return paysOff(raw, crossFitted, plain, calibrated, settings) ? calibrated : plain;
}

function assess(output: Float64Array, { objective, problemType, task, scored }: FinishSettings): FinishedOutput {
  const threshold = task.kind !== "binary" ? undefined : tunesThreshold(objective) ? tuneThreshold(objective, scored.y, output).threshold : DEFAULT_THRESHOLD;
  const metrics = computeAllMetrics(problemType, scored.y, output, task, threshold);
  return { output, metrics, objective: metrics[objective]!, ...(threshold !== undefined && { threshold }) };
}

function paysOff(raw: Float64Array, crossFitted: Float64Array, plain: FinishedOutput, calibrated: FinishedOutput, settings: FinishSettings): boolean {
  const { objective, task, scored } = settings;
  if (isBetter(objective, plain.objective, calibrated.objective)) return false;
  const judge: MetricName = task.kind === "regression" ? objective : "LogLoss";
  const before = computeMetric(judge, scored.y, raw, task);
  const after = computeMetric(judge, scored.y, crossFitted, task);
  const margin = MIN_CALIBRATION_GAIN * Math.abs(before);
  return isBetter(judge, after, metricDirection(judge) === "minimize" ? before - margin : before + margin);
}

/** The validation rounds' rows under cross-validation; interleaved fifths of a holdout's. */
function calibrationParts(scored: ScoredRows): Int32Array[] {
  if (scored.positionsByRound.length > 1) return scored.positionsByRound;
  const count = scored.rows.length;
  return Array.from({ length: HOLDOUT_PARTS }, (_, part) => Int32Array.from({ length: Math.ceil((count - part) / HOLDOUT_PARTS) }, (_, i) => part + i * HOLDOUT_PARTS));
}

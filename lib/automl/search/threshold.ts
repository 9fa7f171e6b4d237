import type { Task } from "../learners/types.ts";
import { computeMetric, type MetricName } from "../metrics.ts";

/**
 * Binary objectives whose decision threshold is tuned: F1 and balanced accuracy peak away from
 * 0.5 on imbalanced data (F1 at half the best F1 on calibrated probabilities, balanced accuracy at
 * the positive class's share). Accuracy is not tuned (on calibrated probabilities its best
 * threshold is 0.5 by construction), nor are precision and recall alone, which a threshold can
 * drive to 1 by predicting almost nothing or everything positive; AUC and log loss do not depend
 * on it.
 */
export const TUNED_THRESHOLD_METRICS: readonly MetricName[] = ["F1", "BalancedAccuracy"];

export const DEFAULT_THRESHOLD = 0.5;

export function tunesThreshold(metric: MetricName): boolean {
  return TUNED_THRESHOLD_METRICS.includes(metric);
}

/**
 * The threshold on P(positive) that maximizes the metric on these rows (a row is positive when
 * its probability exceeds the threshold), and the metric there. Every cut between two distinct
 * probabilities is tried; among equally good cuts the one nearest 0.5 wins. The threshold sits
 * halfway between the probabilities on either side of the cut.
 */
export function tuneThreshold(metric: MetricName, y: Float64Array, probability: Float64Array): { threshold: number; value: number } {
  const positives: number[] = [];
  const negatives: number[] = [];
  probability.forEach((p, i) => (y[i] === 1 ? positives : negatives).push(p));
  const positive = Float64Array.from(positives).sort();
  const negative = Float64Array.from(negatives).sort();
  const score = metric === "F1" ? f1 : balancedAccuracy;
  let best = { threshold: DEFAULT_THRESHOLD, value: -Infinity };
  // Walk the distinct probabilities from the highest down; rows at or above the current one are predicted positive.
  let p = positive.length - 1;
  let n = negative.length - 1;
  let truePositives = 0;
  let falsePositives = 0;
  while (p >= 0 || n >= 0) {
    const value = Math.max(p >= 0 ? positive[p]! : -Infinity, n >= 0 ? negative[n]! : -Infinity);
    while (p >= 0 && positive[p] === value) (truePositives++, p--);
    while (n >= 0 && negative[n] === value) (falsePositives++, n--);
    const below = Math.max(p >= 0 ? positive[p]! : -Infinity, n >= 0 ? negative[n]! : -Infinity);
    const threshold = below === -Infinity ? Math.min(0, value) - 1e-9 : (value + below) / 2;
    const result = score(truePositives, falsePositives, positive.length, negative.length);
    if (result > best.value || (result === best.value && Math.abs(threshold - DEFAULT_THRESHOLD) < Math.abs(best.threshold - DEFAULT_THRESHOLD))) {
      best = { threshold, value: result };
    }
  }
  return best;
}

function f1(truePositives: number, falsePositives: number, positives: number): number {
  const predictedPositives = truePositives + falsePositives;
  return predictedPositives + positives === 0 ? 0 : (2 * truePositives) / (predictedPositives + positives);
}

function balancedAccuracy(truePositives: number, falsePositives: number, positives: number, negatives: number): number {
  const recall = positives === 0 ? 0 : truePositives / positives;
  const specificity = negatives === 0 ? 0 : (negatives - falsePositives) / negatives;
  return (recall + specificity) / 2;
}

/**
 * The objective on these rows as the candidate would be judged: at the tuned threshold for the
 * binary objectives that tune it, at 0.5 otherwise.
 */
export function objectiveAtBestThreshold(objective: MetricName, y: Float64Array, output: Float64Array, task: Task): number {
  return task.kind === "binary" && tunesThreshold(objective) ? tuneThreshold(objective, y, output).value : computeMetric(objective, y, output, task);
}

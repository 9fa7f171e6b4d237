import { computeMetric, type MetricName } from "../automl/metrics.ts";
import type { Prediction } from "./predict.ts";

export interface Evaluation {
  rows: number;
  positiveLabel: string;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc: number;
  /** Counts by truth and prediction, positive class first. */
  confusion: { truePositive: number; falseNegative: number; falsePositive: number; trueNegative: number };
  /** The ROC curve from (0, 0) to (1, 1), a point per distinct probability. */
  roc: RocPoint[];
}

export interface RocPoint {
  falsePositiveRate: number;
  truePositiveRate: number;
  /** Rows with at least this probability are predicted positive. */
  threshold: number;
}

/** The ROC curve of positive-class scores: thresholds from the highest score down, tied scores taken together. */
export function rocCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < positive.length; i++) positives += positive[i]!;
  const negatives = positive.length - positives;
  const points: RocPoint[] = [{ falsePositiveRate: 0, truePositiveRate: 0, threshold: Infinity }];
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    if (positive[row]) truePositives++;
    else falsePositives++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[row]) {
      points.push({ falsePositiveRate: negatives ? falsePositives / negatives : 0, truePositiveRate: positives ? truePositives / positives : 0, threshold: scores[row]! });
    }
  }
  return points;
}

/** Binary metrics of predictions against the held-back truth; the positive class is the second label in sorted order, as Autopilot's. */
export function evaluateBinary(truth: readonly string[], predictions: readonly Prediction[]): Evaluation {
  if (truth.length !== predictions.length) throw new Error(`${predictions.length} predictions for ${truth.length} rows`);
  const labels = [...new Set(truth)].sort();
  if (labels.length !== 2) throw new Error(`binary evaluation needs two labels in the truth, found ${labels.length}`);
  const positiveLabel = labels[1]!;
  const y = Float64Array.from(truth, (label) => (label === positiveLabel ? 1 : 0));
  const scores = Float64Array.from(predictions, (p) => p.probability);
  const metric = (name: MetricName) => computeMetric(name, y, scores, { kind: "binary" });
  const confusion = { truePositive: 0, falseNegative: 0, falsePositive: 0, trueNegative: 0 };
  predictions.forEach((prediction, i) => {
    const actual = truth[i] === positiveLabel;
    const predicted = prediction.label === positiveLabel;
    if (actual) confusion[predicted ? "truePositive" : "falseNegative"]++;
    else confusion[predicted ? "falsePositive" : "trueNegative"]++;
  });
  const roc = rocCurve(y, scores);
  return { rows: truth.length, positiveLabel, accuracy: metric("Accuracy"), precision: metric("Precision"), recall: metric("Recall"), f1: metric("F1"), auc: metric("AUC"), confusion, roc };
}

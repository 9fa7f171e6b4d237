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
  return { rows: truth.length, positiveLabel, accuracy: metric("Accuracy"), precision: metric("Precision"), recall: metric("Recall"), f1: metric("F1"), auc: metric("AUC"), confusion };
}

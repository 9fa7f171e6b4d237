import { computeMetric, type MetricName } from "../automl/metrics.ts";
import type { Prediction } from "./predict.ts";

/** How predictions compare with the held-back truth: binary, multiclass or regression metrics. */
export type Evaluation = BinaryEvaluation | MulticlassEvaluation | RegressionEvaluation;

export interface BinaryEvaluation {
  kind: "binary";
  rows: number;
  positiveLabel: string;
  /** The other class: the first of Autopilot's (sorted) labels. */
  negativeLabel: string;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc: number;
  /** Counts by truth and prediction, positive class first. */
  confusion: { truePositive: number; falseNegative: number; falsePositive: number; trueNegative: number };
  /** The ROC curve from (0, 0) to (1, 1), a point per distinct probability of the positive class. */
  roc: RocPoint[];
  /** Precision, recall and F1 at each distinct probability of the positive class taken as the threshold, highest first. */
  thresholds: ThresholdPoint[];
  /**
   * Where the endpoint's predicted_label turns positive: midway between the highest probability
   * it answered negative and the lowest it answered positive (0.5, or the job's tuned threshold).
   * Absent when no single threshold explains its answers, or they are all one class.
   */
  labelThreshold?: number;
}

export interface MulticlassEvaluation {
  kind: "multiclass";
  rows: number;
  labels: string[];
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** confusion[actual][predicted], both in `labels` order. */
  confusion: number[][];
}

export interface RegressionEvaluation {
  kind: "regression";
  rows: number;
  rmse: number;
  mae: number;
  r2: number;
  points: { actual: number; predicted: number }[];
}

export interface RocPoint {
  falsePositiveRate: number;
  truePositiveRate: number;
  /** Rows with at least this probability are predicted positive. */
  threshold: number;
}

export interface ThresholdPoint {
  /** Rows with at least this probability of the positive class are predicted positive. */
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Counts of rows predicted positive at each distinct score taken as the threshold, from the highest score down (tied scores together). */
function countsByThreshold(positive: ArrayLike<number>, scores: ArrayLike<number>): { threshold: number; truePositives: number; falsePositives: number }[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const counts = [];
  let truePositives = 0;
  let falsePositives = 0;
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    if (positive[row]) truePositives++;
    else falsePositives++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[row]) counts.push({ threshold: scores[row]!, truePositives, falsePositives });
  }
  return counts;
}

function positivesIn(positive: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < positive.length; i++) positives += positive[i]!;
  return positives;
}

/** The ROC curve of positive-class scores: thresholds from the highest score down, tied scores taken together. */
export function rocCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] {
  const positives = positivesIn(positive);
  const negatives = positive.length - positives;
  return [
    { falsePositiveRate: 0, truePositiveRate: 0, threshold: Infinity },
    ...countsByThreshold(positive, scores).map(({ threshold, truePositives, falsePositives }) => ({
      falsePositiveRate: negatives ? falsePositives / negatives : 0,
      truePositiveRate: positives ? truePositives / positives : 0,
      threshold,
    })),
  ];
}

/** Precision, recall and F1 as the threshold falls from the highest positive-class score to the lowest. */
export function thresholdCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): ThresholdPoint[] {
  const positives = positivesIn(positive);
  return countsByThreshold(positive, scores).map(({ threshold, truePositives, falsePositives }) => {
    const precision = truePositives / (truePositives + falsePositives);
    const recall = positives ? truePositives / positives : 0;
    return { threshold, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  });
}

/** The area under the precision-recall curve as a step function: each threshold's precision, weighted by the recall it adds. */
export function averagePrecision(evaluation: BinaryEvaluation): number {
  let previousRecall = 0;
  let area = 0;
  for (const { precision, recall } of evaluation.thresholds) {
    area += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return area;
}

/** The threshold behind the answered labels (`predicted` 1 for the positive class), when one explains them all. */
function labelThreshold(predicted: ArrayLike<number>, scores: ArrayLike<number>): { labelThreshold?: number } {
  let highestNegative = -Infinity;
  let lowestPositive = Infinity;
  for (let i = 0; i < scores.length; i++) {
    if (predicted[i]) lowestPositive = Math.min(lowestPositive, scores[i]!);
    else highestNegative = Math.max(highestNegative, scores[i]!);
  }
  const explained = Number.isFinite(highestNegative) && Number.isFinite(lowestPositive) && highestNegative < lowestPositive;
  return explained ? { labelThreshold: (highestNegative + lowestPositive) / 2 } : {};
}

/** The threshold with the highest F1 (the highest such threshold on a tie). */
export function bestF1Threshold(evaluation: BinaryEvaluation): ThresholdPoint | undefined {
  return evaluation.thresholds.reduce<ThresholdPoint | undefined>((best, point) => (!best || point.f1 > best.f1 ? point : best), undefined);
}

/**
 * The metrics that fit the predictions: regression when they carry no class probabilities, binary
 * for two labels, multiclass otherwise. Labels come from `predicted_label`, scores from
 * `probabilities` in `labels` order, as both of Autopilot's modes answer them.
 */
export function evaluate(truth: readonly string[], predictions: readonly Prediction[]): Evaluation {
  if (truth.length !== predictions.length) throw new Error(`${predictions.length} predictions for ${truth.length} rows`);
  const labels = predictions[0]?.labels;
  if (!labels) return evaluateRegression(truth, predictions);
  return labels.length === 2 ? evaluateBinary(truth, predictions) : evaluateMulticlass(truth, predictions, labels);
}

/** Binary metrics; the positive class is the second of Autopilot's (sorted) labels. */
export function evaluateBinary(truth: readonly string[], predictions: readonly Prediction[]): BinaryEvaluation {
  if (truth.length !== predictions.length) throw new Error(`${predictions.length} predictions for ${truth.length} rows`);
  const labels = predictions[0]?.labels ?? [...new Set(truth)].sort();
  if (labels.length !== 2) throw new Error(`binary evaluation needs two labels, found ${labels.length}`);
  const [negativeLabel, positiveLabel] = labels as [string, string];
  const y = Float64Array.from(truth, (label) => (label === positiveLabel ? 1 : 0));
  const scores = Float64Array.from(predictions, (p) => classProbability(p, positiveLabel));
  const predicted = Int32Array.from(predictions, (p) => (p.label === positiveLabel ? 1 : 0));
  const confusion = { truePositive: 0, falseNegative: 0, falsePositive: 0, trueNegative: 0 };
  predicted.forEach((guess, i) => {
    if (y[i]) confusion[guess ? "truePositive" : "falseNegative"]++;
    else confusion[guess ? "falsePositive" : "trueNegative"]++;
  });
  // The engine's metrics of the labels as answered (0/1 outputs threshold to themselves).
  const labelled = (name: MetricName) => computeMetric(name, y, Float64Array.from(predicted), { kind: "binary" });
  return {
    kind: "binary",
    rows: truth.length,
    positiveLabel,
    negativeLabel,
    accuracy: labelled("Accuracy"),
    precision: labelled("Precision"),
    recall: labelled("Recall"),
    f1: labelled("F1"),
    auc: computeMetric("AUC", y, scores, { kind: "binary" }),
    confusion,
    roc: rocCurve(y, scores),
    thresholds: thresholdCurve(y, scores),
    ...labelThreshold(predicted, scores),
  };
}

function evaluateMulticlass(truth: readonly string[], predictions: readonly Prediction[], labels: readonly string[]): MulticlassEvaluation {
  const index = (label: string) => {
    const i = labels.indexOf(label);
    if (i < 0) throw new Error(`"${label}" is not one of the endpoint's labels ${labels.join(", ")}`);
    return i;
  };
  const k = labels.length;
  const y = Float64Array.from(truth, index);
  // The answered labels as one-hot outputs, so the engine's metrics score exactly them.
  const oneHot = new Float64Array(predictions.length * k);
  const confusion = labels.map(() => new Array<number>(k).fill(0));
  predictions.forEach((prediction, i) => {
    const guess = index(prediction.label);
    oneHot[i * k + guess] = 1;
    confusion[y[i]!]![guess]!++;
  });
  const metric = (name: MetricName) => computeMetric(name, y, oneHot, { kind: "multiclass", classes: k });
  return { kind: "multiclass", rows: truth.length, labels: [...labels], accuracy: metric("Accuracy"), balancedAccuracy: metric("BalancedAccuracy"), macroF1: metric("F1macro"), confusion };
}

function evaluateRegression(truth: readonly string[], predictions: readonly Prediction[]): RegressionEvaluation {
  const number = (text: string, what: string) => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value)) throw new Error(`${what} "${text}" is not a number: a regression evaluation needs numbers`);
    return value;
  };
  const points = predictions.map((p, i) => ({ actual: number(truth[i]!, "the true value"), predicted: number(p.label, "the predicted value") }));
  const y = Float64Array.from(points, (p) => p.actual);
  const predicted = Float64Array.from(points, (p) => p.predicted);
  const metric = (name: MetricName) => computeMetric(name, y, predicted, { kind: "regression" });
  return { kind: "regression", rows: points.length, rmse: metric("RMSE"), mae: metric("MAE"), r2: metric("R2"), points };
}

/** A row's probability of `label`, from the endpoint's `probabilities` in `labels` order. */
function classProbability(prediction: Prediction, label: string): number {
  const at = prediction.labels?.indexOf(label) ?? -1;
  const probability = at >= 0 ? prediction.probabilities?.[at] : undefined;
  if (probability === undefined) throw new Error(`the prediction for "${prediction.label}" has no probability of ${label}: deploy with predicted_label, probabilities and labels`);
  return probability;
}

/** The evaluation's headline metrics, named, in the order reports and tables show them. */
export function headlineMetrics(evaluation: Evaluation): [string, number][] {
  switch (evaluation.kind) {
    case "binary":
      return [["accuracy", evaluation.accuracy], ["precision", evaluation.precision], ["recall", evaluation.recall], ["F1", evaluation.f1], ["AUC", evaluation.auc]];
    case "multiclass":
      return [["accuracy", evaluation.accuracy], ["balanced accuracy", evaluation.balancedAccuracy], ["macro F1", evaluation.macroF1]];
    case "regression":
      return [["RMSE", evaluation.rmse], ["MAE", evaluation.mae], ["R²", evaluation.r2]];
  }
}

/** Counts by actual (rows) and predicted (columns) class, in `labels` order; binary: the positive class first. */
export function confusionTable(evaluation: BinaryEvaluation | MulticlassEvaluation): { labels: string[]; counts: number[][] } {
  if (evaluation.kind === "multiclass") return { labels: evaluation.labels, counts: evaluation.confusion };
  const c = evaluation.confusion;
  return { labels: [evaluation.positiveLabel, evaluation.negativeLabel], counts: [[c.truePositive, c.falseNegative], [c.falsePositive, c.trueNegative]] };
}

import type { Task } from "./learners/types.ts";
import type { ProblemType } from "./problem.ts";

/**
 * Autopilot's objective metrics, computed from a model's raw output (see `TrainedModel.predict`):
 * P(class 1) per row for binary, row-major class probabilities for multiclass, values for regression.
 * Class 1 is the positive class of a binary problem; a row is labelled positive when P(class 1)
 * exceeds the decision threshold (0.5 unless a tuned one is given).
 */
export const METRIC_NAMES = ["F1", "Accuracy", "AUC", "BalancedAccuracy", "Precision", "Recall", "LogLoss", "F1macro", "PrecisionMacro", "RecallMacro", "MSE", "RMSE", "MAE", "R2"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

interface MetricDefinition {
  direction: "maximize" | "minimize";
  problemTypes: readonly ProblemType[];
  compute(y: Float64Array, output: Float64Array, task: Task, threshold: number): number;
}

const BINARY = ["BinaryClassification"] as const;
const CLASSIFICATION = ["BinaryClassification", "MulticlassClassification"] as const;
const MULTICLASS = ["MulticlassClassification"] as const;
const REGRESSION = ["Regression"] as const;

const METRICS: Record<MetricName, MetricDefinition> = {
  F1: { direction: "maximize", problemTypes: BINARY, compute: (y, p, task, t) => binaryCounts(y, predictedClasses(p, task, t)).f1 },
  Precision: { direction: "maximize", problemTypes: BINARY, compute: (y, p, task, t) => binaryCounts(y, predictedClasses(p, task, t)).precision },
  Recall: { direction: "maximize", problemTypes: BINARY, compute: (y, p, task, t) => binaryCounts(y, predictedClasses(p, task, t)).recall },
  AUC: { direction: "maximize", problemTypes: BINARY, compute: (y, p) => auc(y, p) },
  Accuracy: { direction: "maximize", problemTypes: CLASSIFICATION, compute: (y, p, task, t) => accuracy(y, predictedClasses(p, task, t)) },
  BalancedAccuracy: { direction: "maximize", problemTypes: CLASSIFICATION, compute: (y, p, task, t) => mean(perClass(y, predictedClasses(p, task, t), classCount(task)).map((c) => c.recall)) },
  F1macro: { direction: "maximize", problemTypes: CLASSIFICATION, compute: (y, p, task, t) => mean(perClass(y, predictedClasses(p, task, t), classCount(task)).map((c) => c.f1)) },
  // Autopilot offers the macro averages of precision and recall for multiclass problems only (API reference, AutoMLJobObjective).
  PrecisionMacro: { direction: "maximize", problemTypes: MULTICLASS, compute: (y, p, task, t) => mean(perClass(y, predictedClasses(p, task, t), classCount(task)).map((c) => c.precision)) },
  RecallMacro: { direction: "maximize", problemTypes: MULTICLASS, compute: (y, p, task, t) => mean(perClass(y, predictedClasses(p, task, t), classCount(task)).map((c) => c.recall)) },
  LogLoss: { direction: "minimize", problemTypes: CLASSIFICATION, compute: (y, p, task) => logLoss(y, p, task) },
  MSE: { direction: "minimize", problemTypes: REGRESSION, compute: (y, p) => meanSquaredError(y, p) },
  RMSE: { direction: "minimize", problemTypes: REGRESSION, compute: (y, p) => Math.sqrt(meanSquaredError(y, p)) },
  MAE: { direction: "minimize", problemTypes: REGRESSION, compute: (y, p) => meanAbsoluteError(y, p) },
  R2: { direction: "maximize", problemTypes: REGRESSION, compute: (y, p) => rSquared(y, p) },
};

export const DEFAULT_OBJECTIVE: Record<ProblemType, MetricName> = {
  BinaryClassification: "F1",
  MulticlassClassification: "Accuracy",
  Regression: "MSE",
};

export function isMetricName(name: string): name is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

export function metricDirection(metric: MetricName): "maximize" | "minimize" {
  return METRICS[metric].direction;
}

export function metricsFor(problemType: ProblemType): MetricName[] {
  return METRIC_NAMES.filter((name) => METRICS[name].problemTypes.includes(problemType));
}

/** The metric on these rows; `threshold` is the binary decision threshold on P(class 1). */
export function computeMetric(metric: MetricName, y: Float64Array, output: Float64Array, task: Task, threshold = 0.5): number {
  return METRICS[metric].compute(y, output, task, threshold);
}

/** Every metric that applies to the problem type. */
export function computeAllMetrics(problemType: ProblemType, y: Float64Array, output: Float64Array, task: Task, threshold = 0.5): Partial<Record<MetricName, number>> {
  return Object.fromEntries(metricsFor(problemType).map((name) => [name, computeMetric(name, y, output, task, threshold)]));
}

/** Whether `a` is strictly better than `b` under the metric's direction (NaN is worst). */
export function isBetter(metric: MetricName, a: number, b: number): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return METRICS[metric].direction === "maximize" ? a > b : a < b;
}

function classCount(task: Task): number {
  return task.kind === "multiclass" ? task.classes : 2;
}

/** Class index per row: P(class 1) above the threshold for binary, the most probable class for multiclass. */
export function predictedClasses(output: Float64Array, task: Task, threshold = 0.5): Int32Array {
  if (task.kind === "binary") return Int32Array.from(output, (p) => (p > threshold ? 1 : 0));
  const k = classCount(task);
  const rows = output.length / k;
  const classes = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (output[row * k + c]! > output[row * k + best]!) best = c;
    classes[row] = best;
  }
  return classes;
}

function accuracy(y: Float64Array, predicted: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === predicted[i]) correct++;
  return correct / y.length;
}

interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 of each class taken as the positive one (0 where undefined, as scikit-learn). */
function perClass(y: Float64Array, predicted: Int32Array, classes: number): ClassScores[] {
  const truePositives = new Float64Array(classes);
  const actual = new Float64Array(classes);
  const predictedCount = new Float64Array(classes);
  for (let i = 0; i < y.length; i++) {
    const truth = y[i]!;
    const guess = predicted[i]!;
    actual[truth]!++;
    predictedCount[guess]!++;
    if (truth === guess) truePositives[truth]!++;
  }
  return Array.from({ length: classes }, (_, c) => scores(truePositives[c]!, predictedCount[c]!, actual[c]!));
}

function scores(truePositives: number, predictedPositives: number, actualPositives: number): ClassScores {
  const precision = predictedPositives === 0 ? 0 : truePositives / predictedPositives;
  const recall = actualPositives === 0 ? 0 : truePositives / actualPositives;
  const f1 = predictedPositives + actualPositives === 0 ? 0 : (2 * truePositives) / (predictedPositives + actualPositives);
  return { precision, recall, f1 };
}

function binaryCounts(y: Float64Array, predicted: Int32Array): ClassScores {
  return perClass(y, predicted, 2)[1]!;
}

/** Area under the ROC curve by the rank-sum formula, ties sharing their average rank. */
function auc(y: Float64Array, scoresOfRows: Float64Array): number {
  const order = Array.from(scoresOfRows.keys()).sort((a, b) => scoresOfRows[a]! - scoresOfRows[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scoresOfRows[order[end + 1]!] === scoresOfRows[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (y[order[i]!] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const PROBABILITY_FLOOR = 1e-15;

function logLoss(y: Float64Array, output: Float64Array, task: Task): number {
  const k = classCount(task);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const truth = y[i]!;
    const p = task.kind === "binary" ? (truth === 1 ? output[i]! : 1 - output[i]!) : output[i * k + truth]!;
    total -= Math.log(Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p)));
  }
  return total / y.length;
}

function meanSquaredError(y: Float64Array, predicted: Float64Array): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) total += (y[i]! - predicted[i]!) ** 2;
  return total / y.length;
}

function meanAbsoluteError(y: Float64Array, predicted: Float64Array): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) total += Math.abs(y[i]! - predicted[i]!);
  return total / y.length;
}

function rSquared(y: Float64Array, predicted: Float64Array): number {
  const average = mean(Array.from(y));
  let residual = 0;
  let spread = 0;
  for (let i = 0; i < y.length; i++) {
    residual += (y[i]! - predicted[i]!) ** 2;
    spread += (y[i]! - average) ** 2;
  }
  return spread === 0 ? Number.NaN : 1 - residual / spread;
}

function mean(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

import type { ProblemType } from "../../../../automl/index.ts";
import { computeMetric, predictedClasses, type MetricName } from "../../../../automl/metrics.ts";
import { taskFor } from "../../../../automl/problem.ts";
import { binaryCounts, classScores, confusionCounts, fScore, weightedScore, type ClassScores, type ConfusionCounts } from "./confusion.ts";
import { precisionRecallCurve, rocCurve, type PrecisionRecallCurve, type RocCurve } from "./curves.ts";
import { measure, spreadSamples, type MeasuredMetric, type ScoredSample } from "./metric-spread.ts";
import { regressionPlots, type RegressionPlots } from "./regression-plots.ts";

/** Model Monitor's confusion matrix: actual label, then predicted label, to a row count. */
export type LabelledConfusionMatrix = Record<string, Record<string, number>>;

type BinaryMetricName =
  | "recall" | "precision" | "accuracy"
  | "recall_best_constant_classifier" | "precision_best_constant_classifier" | "accuracy_best_constant_classifier"
  | "true_positive_rate" | "true_negative_rate" | "false_positive_rate" | "false_negative_rate"
  | "auc" | "f0_5" | "f1" | "f2"
  | "f0_5_best_constant_classifier" | "f1_best_constant_classifier" | "f2_best_constant_classifier"
  | "balanced_accuracy" | "log_loss";

type MulticlassMetricName =
  | "accuracy" | "weighted_recall" | "weighted_precision" | "weighted_f0_5" | "weighted_f1" | "weighted_f2"
  | "accuracy_best_constant_classifier" | "weighted_recall_best_constant_classifier" | "weighted_precision_best_constant_classifier"
  | "weighted_f0_5_best_constant_classifier" | "weighted_f1_best_constant_classifier" | "weighted_f2_best_constant_classifier"
  | "balanced_accuracy" | "macro_f1" | "log_loss";

type RegressionMetricName = "mae" | "mse" | "rmse" | "r2";

export type BinaryClassificationMetrics = Record<BinaryMetricName, MeasuredMetric> & {
  confusion_matrix: LabelledConfusionMatrix;
  receiver_operating_characteristic_curve: RocCurve;
  precision_recall_curve: PrecisionRecallCurve;
};

export type MulticlassClassificationMetrics = Record<MulticlassMetricName, MeasuredMetric> & {
  confusion_matrix: LabelledConfusionMatrix;
  /** Each label's precision, recall, F1 and support (not in Model Monitor's schema; Autopilot's report shows them). */
  per_class_metrics: Record<string, { precision: number; recall: number; f1: number; support: number }>;
};

export type RegressionMetrics = Record<RegressionMetricName, MeasuredMetric> & RegressionPlots;

/**
 * Model Monitor's model quality statistics (statistics.json), which Autopilot's model quality report
 * is generated from (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-model-insights.html):
 * the evaluated rows and time, then the metrics of the problem type, each as value and standard
 * deviation, with the keys of https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html.
 * Beyond those keys, the metrics Autopilot ranks candidates by (log loss, balanced accuracy, macro F1)
 * and the data of the report's charts are added under the same problem-type object.
 */
export interface ModelQualityStatistics {
  version: 0;
  dataset: { item_count: number; evaluation_time: string };
  binary_classification_metrics?: BinaryClassificationMetrics;
  multiclass_classification_metrics?: MulticlassClassificationMetrics;
  regression_metrics?: RegressionMetrics;
}

export interface ModelQualityInput {
  problemType: ProblemType;
  /** Class labels as the model lists them (class index i is labels[i]; binary: [negative, positive]); empty for regression. */
  labels: readonly string[];
  /** Binary: the model's decision threshold on P(class 1), as its predictions label rows (0.5 when absent). */
  decisionThreshold?: number;
  /** The scored rows' targets: class indices, or values for regression. */
  y: Float64Array;
  /** The candidate's output on those rows: P(class 1), row-major class probabilities, or values. */
  output: Float64Array;
  evaluatedAt: Date;
  /** Seeds the subsamples behind the standard deviations. */
  seed?: number;
}

type Metric = (sample: ScoredSample) => number;

/** What every problem type's metrics are computed from. */
interface Scoring {
  sample: ScoredSample;
  labels: readonly string[];
  measured<K extends string>(metrics: Record<K, Metric>): Record<K, MeasuredMetric>;
  /** One of the engine's own metrics (lib/automl/metrics.ts), as the leaderboard computes it. */
  engine(name: MetricName): Metric;
  /** Actual against predicted class counts (classification). */
  matrixOf(sample: ScoredSample): ConfusionCounts;
}

export function modelQualityReport(input: ModelQualityInput): ModelQualityStatistics {
  const { problemType, labels, y, output } = input;
  const task = taskFor(problemType, labels.length);
  const sample: ScoredSample = { y, output, width: task.kind === "multiclass" ? task.classes : 1 };
  const spread = spreadSamples(sample, input.seed ?? 0);
  const scoring: Scoring = {
    sample,
    labels,
    measured: <K extends string>(metrics: Record<K, Metric>) =>
      Object.fromEntries(Object.entries<Metric>(metrics).map(([name, metric]) => [name, measure(metric, sample, spread)])) as Record<K, MeasuredMetric>,
    engine: (name) => (s) => computeMetric(name, s.y, s.output, task, input.decisionThreshold),
    matrixOf: (s) => confusionCounts(s.y, predictedClasses(s.output, task, input.decisionThreshold), labels.length),
  };
  const header = { version: 0 as const, dataset: { item_count: y.length, evaluation_time: input.evaluatedAt.toISOString() } };
  if (problemType === "BinaryClassification") return { ...header, binary_classification_metrics: binaryMetrics(scoring) };
  if (problemType === "MulticlassClassification") return { ...header, multiclass_classification_metrics: multiclassMetrics(scoring) };
  return { ...header, regression_metrics: regressionMetrics(scoring) };
}

function regressionMetrics({ measured, engine, sample }: Scoring): RegressionMetrics {
  return { ...measured({ mae: engine("MAE"), mse: engine("MSE"), rmse: engine("RMSE"), r2: engine("R2") }), ...regressionPlots(sample.y, sample.output) };
}

function binaryMetrics({ measured, engine, matrixOf, sample, labels }: Scoring): BinaryClassificationMetrics {
  const counts = (s: ScoredSample) => binaryCounts(matrixOf(s));
  const positive = (s: ScoredSample) => classScores(matrixOf(s), 1);
  const prevalence: Metric = (s) => s.y.reduce((sum, c) => sum + c, 0) / s.y.length;
  return {
    confusion_matrix: labelledMatrix(matrixOf(sample), labels),
    ...measured<BinaryMetricName>({
      recall: engine("Recall"),
      precision: engine("Precision"),
      accuracy: engine("Accuracy"),
      // The best constant classifier says "positive" to every row, as in AWS's example figures.
      recall_best_constant_classifier: () => 1,
      precision_best_constant_classifier: prevalence,
      accuracy_best_constant_classifier: prevalence,
      true_positive_rate: engine("Recall"),
      true_negative_rate: (s) => ratio(counts(s).tn, counts(s).tn + counts(s).fp),
      false_positive_rate: (s) => ratio(counts(s).fp, counts(s).tn + counts(s).fp),
      false_negative_rate: (s) => ratio(counts(s).fn, counts(s).fn + counts(s).tp),
      auc: engine("AUC"),
      f0_5: (s) => fScore(positive(s).precision, positive(s).recall, 0.5),
      f1: engine("F1"),
      f2: (s) => fScore(positive(s).precision, positive(s).recall, 2),
      f0_5_best_constant_classifier: (s) => fScore(prevalence(s), 1, 0.5),
      f1_best_constant_classifier: (s) => fScore(prevalence(s), 1, 1),
      f2_best_constant_classifier: (s) => fScore(prevalence(s), 1, 2),
      balanced_accuracy: engine("BalancedAccuracy"),
      log_loss: engine("LogLoss"),
    }),
    receiver_operating_characteristic_curve: rocCurve(sample.y, sample.output),
    precision_recall_curve: precisionRecallCurve(sample.y, sample.output),
  };
}

function multiclassMetrics({ measured, engine, matrixOf, sample, labels }: Scoring): MulticlassClassificationMetrics {
  // The best constant classifier says the most frequent class to every row, as in AWS's example figures.
  const constantMatrix = (s: ScoredSample): ConfusionCounts => {
    const counts = labels.map((_, c) => s.y.reduce((sum, value) => sum + (value === c ? 1 : 0), 0));
    return confusionCounts(s.y, new Int32Array(s.y.length).fill(counts.indexOf(Math.max(...counts))), labels.length);
  };
  const weighted = (matrixFor: (s: ScoredSample) => ConfusionCounts, score: (scores: ClassScores) => number): Metric => (s) => weightedScore(matrixFor(s), score);
  const recall = (scores: ClassScores) => scores.recall;
  const precision = (scores: ClassScores) => scores.precision;
  const f = (beta: number) => (scores: ClassScores) => fScore(scores.precision, scores.recall, beta);
  const matrix = matrixOf(sample);
  return {
    confusion_matrix: labelledMatrix(matrix, labels),
    ...measured<MulticlassMetricName>({
      accuracy: engine("Accuracy"),
      weighted_recall: weighted(matrixOf, recall),
      weighted_precision: weighted(matrixOf, precision),
      weighted_f0_5: weighted(matrixOf, f(0.5)),
      weighted_f1: weighted(matrixOf, f(1)),
      weighted_f2: weighted(matrixOf, f(2)),
      accuracy_best_constant_classifier: (s) => constantMatrix(s).reduce((sum, row, c) => sum + row[c]!, 0) / s.y.length,
      weighted_recall_best_constant_classifier: weighted(constantMatrix, recall),
      weighted_precision_best_constant_classifier: weighted(constantMatrix, precision),
      weighted_f0_5_best_constant_classifier: weighted(constantMatrix, f(0.5)),
      weighted_f1_best_constant_classifier: weighted(constantMatrix, f(1)),
      weighted_f2_best_constant_classifier: weighted(constantMatrix, f(2)),
      balanced_accuracy: engine("BalancedAccuracy"),
      macro_f1: engine("F1macro"),
      log_loss: engine("LogLoss"),
    }),
    per_class_metrics: Object.fromEntries(
      labels.map((label, c) => {
        const scores = classScores(matrix, c);
        return [label, { precision: scores.precision, recall: scores.recall, f1: f(1)(scores), support: scores.support }];
      }),
    ),
  };
}

function labelledMatrix(matrix: ConfusionCounts, labels: readonly string[]): LabelledConfusionMatrix {
  return Object.fromEntries(labels.map((actual, a) => [actual, Object.fromEntries(labels.map((predicted, p) => [predicted, matrix[a]![p]!]))]));
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

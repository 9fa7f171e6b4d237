import { describe, expect, it } from "vitest";
import { computeMetric, DEFAULT_OBJECTIVE, isBetter, metricDirection, metricsFor } from "../../lib/automl/metrics.ts";

const binary = { kind: "binary" } as const;
const threeClasses = { kind: "multiclass", classes: 3 } as const;
const regression = { kind: "regression" } as const;
const f64 = (values: number[]) => Float64Array.from(values);

describe("binary metrics (positive class 1, threshold 0.5)", () => {
  // truth:       1    1    1    0    0    0    0    1
  // P(1):       .9   .8   .4   .3   .6   .1   .2   .7
  // predicted:   1    1    0    0    1    0    0    1   -> TP 3, FN 1, FP 1, TN 3
  const y = f64([1, 1, 1, 0, 0, 0, 0, 1]);
  const p = f64([0.9, 0.8, 0.4, 0.3, 0.6, 0.1, 0.2, 0.7]);

  it("computes F1, precision, recall, accuracy and balanced accuracy from the counts", () => {
    expect(computeMetric("Precision", y, p, binary)).toBeCloseTo(3 / 4);
    expect(computeMetric("Recall", y, p, binary)).toBeCloseTo(3 / 4);
    expect(computeMetric("F1", y, p, binary)).toBeCloseTo(3 / 4);
    expect(computeMetric("Accuracy", y, p, binary)).toBeCloseTo(6 / 8);
    expect(computeMetric("BalancedAccuracy", y, p, binary)).toBeCloseTo((3 / 4 + 3 / 4) / 2);
    expect(computeMetric("F1macro", y, p, binary)).toBeCloseTo(3 / 4);
  });

  it("computes AUC as the share of correctly ordered positive/negative pairs, ties counting half", () => {
    // Positives .9 .8 .4 .7 against negatives .3 .6 .1 .2: only .4 < .6 is misordered -> 15/16.
    expect(computeMetric("AUC", y, p, binary)).toBeCloseTo(15 / 16);
    expect(computeMetric("AUC", f64([1, 0]), f64([0.5, 0.5]), binary)).toBeCloseTo(0.5);
  });

  it("computes log loss as the mean negative log-probability of the true class", () => {
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.7) + Math.log(0.7) + Math.log(0.4) + Math.log(0.9) + Math.log(0.8)) / 8;
    expect(computeMetric("LogLoss", y, p, binary)).toBeCloseTo(expected, 10);
  });

  it("treats exactly 0.5 as negative and scores no predicted positives as precision 0", () => {
    expect(computeMetric("Precision", f64([1, 0]), f64([0.5, 0.5]), binary)).toBe(0);
    expect(computeMetric("F1", f64([1, 0]), f64([0.5, 0.5]), binary)).toBe(0);
  });
});

describe("multiclass metrics", () => {
  // Rows of probabilities for classes 0..2; the argmax is the prediction.
  const y = f64([0, 0, 1, 1, 2, 2]);
  const p = f64([0.7, 0.2, 0.1, 0.1, 0.5, 0.4, 0.2, 0.6, 0.2, 0.1, 0.8, 0.1, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4]);
  // predicted: 0, 1, 1, 1, 2, 2

  it("computes accuracy, balanced accuracy and the macro averages of F1, recall and precision", () => {
    expect(computeMetric("Accuracy", y, p, threeClasses)).toBeCloseTo(5 / 6);
    // recalls: class0 1/2, class1 2/2, class2 2/2
    expect(computeMetric("BalancedAccuracy", y, p, threeClasses)).toBeCloseTo((0.5 + 1 + 1) / 3);
    // F1: class0 P=1 R=.5 -> 2/3; class1 P=2/3 R=1 -> .8; class2 P=1 R=1 -> 1
    expect(computeMetric("F1macro", y, p, threeClasses)).toBeCloseTo((2 / 3 + 0.8 + 1) / 3);
    expect(computeMetric("RecallMacro", y, p, threeClasses)).toBeCloseTo((0.5 + 1 + 1) / 3);
    // precisions: class0 1/1, class1 2/3, class2 2/2
    expect(computeMetric("PrecisionMacro", y, p, threeClasses)).toBeCloseTo((1 + 2 / 3 + 1) / 3);
  });

  it("computes log loss from the true class's probability", () => {
    const expected = -(Math.log(0.7) + Math.log(0.1) + Math.log(0.6) + Math.log(0.8) + Math.log(0.8) + Math.log(0.4)) / 6;
    expect(computeMetric("LogLoss", y, p, threeClasses)).toBeCloseTo(expected, 10);
  });
});

describe("regression metrics", () => {
  const y = f64([3, -0.5, 2, 7]);
  const predicted = f64([2.5, 0, 2, 8]);

  it("matches the textbook example", () => {
    expect(computeMetric("MSE", y, predicted, regression)).toBeCloseTo(0.375);
    expect(computeMetric("RMSE", y, predicted, regression)).toBeCloseTo(Math.sqrt(0.375));
    expect(computeMetric("MAE", y, predicted, regression)).toBeCloseTo(0.5);
    // mean 2.875, total sum of squares 29.1875, residual 1.5
    expect(computeMetric("R2", y, predicted, regression)).toBeCloseTo(1 - 1.5 / 29.1875);
  });
});

describe("objectives", () => {
  it("defaults to F1, Accuracy and MSE as Autopilot does", () => {
    expect(DEFAULT_OBJECTIVE).toEqual({ BinaryClassification: "F1", MulticlassClassification: "Accuracy", Regression: "MSE" });
  });

  it("knows which metrics apply to which problem and which way is better", () => {
    expect(metricsFor("MulticlassClassification")).toEqual(["Accuracy", "BalancedAccuracy", "LogLoss", "F1macro", "PrecisionMacro", "RecallMacro"]);
    expect(metricsFor("Regression")).toEqual(["MSE", "RMSE", "MAE", "R2"]);
    expect(metricDirection("LogLoss")).toBe("minimize");
    expect(isBetter("MSE", 1, 2)).toBe(true);
    expect(isBetter("AUC", 0.9, 0.8)).toBe(true);
    expect(isBetter("AUC", Number.NaN, 0.1)).toBe(false);
    expect(isBetter("AUC", 0.1, Number.NaN)).toBe(true);
  });
});

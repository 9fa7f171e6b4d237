import { describe, expect, it } from "vitest";
import { averagePrecision, bestF1Threshold, confusionTable, evaluate, evaluateBinary, rocCurve } from "../../lib/flow/evaluation.ts";
import { batchCsvRows, parsePredictions } from "../../lib/flow/predict.ts";
import { endpointAnswer } from "../helpers/endpoint-answer.ts";

describe("evaluating predictions", () => {
  it("computes accuracy, precision, recall, F1, AUC and the confusion matrix with True. as the positive class", () => {
    const truth = ["True.", "True.", "False.", "False.", "True."];
    const predictions = parsePredictions(endpointAnswer([0.9, 0.4, 0.6, 0.1, 0.8]));
    expect(predictions.map((p) => p.probabilities![1])).toEqual([0.9, 0.4, 0.6, 0.1, 0.8]);
    const evaluation = evaluateBinary(truth, predictions);
    expect(evaluation.positiveLabel).toBe("True.");
    expect(evaluation.confusion).toEqual({ truePositive: 2, falseNegative: 1, falsePositive: 1, trueNegative: 1 });
    expect(evaluation.accuracy).toBeCloseTo(3 / 5);
    expect(evaluation.precision).toBeCloseTo(2 / 3);
    expect(evaluation.recall).toBeCloseTo(2 / 3);
    expect(evaluation.f1).toBeCloseTo(2 / 3);
    // Positive scores 0.9, 0.4, 0.8 against negative 0.6, 0.1: 5 of 6 pairs ranked right.
    expect(evaluation.auc).toBeCloseTo(5 / 6);
    // Scores 0.9 (pos), 0.8 (pos), 0.6 (neg), 0.4 (pos), 0.1 (neg), taken from the top.
    expect(evaluation.roc.map((p) => [p.falsePositiveRate, p.truePositiveRate])).toEqual([
      [0, 0],
      [0, 1 / 3],
      [0, 2 / 3],
      [1 / 2, 2 / 3],
      [1 / 2, 1],
      [1, 1],
    ]);
  });

  it("gives precision, recall and F1 at every threshold, the average precision and the best F1's threshold", () => {
    const evaluation = evaluateBinary(["True.", "True.", "False.", "False.", "True."], parsePredictions(endpointAnswer([0.9, 0.4, 0.6, 0.1, 0.8])));
    // Scores from the top: 0.9 (pos), 0.8 (pos), 0.6 (neg), 0.4 (pos), 0.1 (neg).
    expect(evaluation.thresholds.map(({ threshold, precision, recall }) => [threshold, precision, recall])).toEqual([
      [0.9, 1, 1 / 3],
      [0.8, 1, 2 / 3],
      [0.6, 2 / 3, 2 / 3],
      [0.4, 3 / 4, 1],
      [0.1, 3 / 5, 1],
    ]);
    expect(evaluation.thresholds[3]!.f1).toBeCloseTo((2 * (3 / 4)) / (3 / 4 + 1));
    // predicted_label turns positive between 0.4 and 0.6, so the labels' precision and recall are those of threshold 0.6.
    expect(evaluation.labelThreshold).toBeCloseTo(0.5);
    expect([evaluation.precision, evaluation.recall]).toEqual([evaluation.thresholds[2]!.precision, evaluation.thresholds[2]!.recall]);
    // Answers no single threshold explains (0.3 answered positive, 0.6 negative) have none.
    const mixed = evaluateBinary(["True.", "False."], [
      { label: "True.", probabilities: [0.7, 0.3], labels: ["False.", "True."] },
      { label: "False.", probabilities: [0.4, 0.6], labels: ["False.", "True."] },
    ]);
    expect(mixed.labelThreshold).toBeUndefined();
    expect(bestF1Threshold(evaluation)).toMatchObject({ threshold: 0.4, recall: 1 });
    // Each threshold's precision weighted by the recall it adds: 1/3·1 + 1/3·1 + 0 + 1/3·3/4.
    expect(averagePrecision(evaluation)).toBeCloseTo(1 / 3 + 1 / 3 + 1 / 4);
  });

  it("names both classes in the binary confusion table, the positive one first", () => {
    const evaluation = evaluateBinary(["True.", "False."], parsePredictions(endpointAnswer([0.9, 0.2])));
    expect(confusionTable(evaluation)).toEqual({ labels: ["True.", "False."], counts: [[1, 0], [0, 1]] });
  });

  it("takes tied scores together on the ROC curve, and its area matches the AUC", () => {
    const roc = rocCurve([1, 0, 1, 0], [0.7, 0.7, 0.2, 0.1]);
    expect(roc.map((p) => [p.falsePositiveRate, p.truePositiveRate, p.threshold])).toEqual([
      [0, 0, Infinity],
      [0.5, 0.5, 0.7],
      [0.5, 1, 0.2],
      [1, 1, 0.1],
    ]);
    const area = roc.slice(1).reduce((sum, p, i) => sum + ((p.falsePositiveRate - roc[i]!.falsePositiveRate) * (p.truePositiveRate + roc[i]!.truePositiveRate)) / 2, 0);
    // Pairs (positive, negative): (0.7, 0.7) a tie counted half, (0.7, 0.1) right, (0.2, 0.7) wrong, (0.2, 0.1) right.
    expect(area).toBeCloseTo(2.5 / 4);
  });

  it("refuses mismatched lengths and a truth with one class", () => {
    expect(() => evaluateBinary(["True."], [])).toThrow(/0 predictions for 1 rows/);
    expect(() => evaluateBinary(["True."], [{ label: "True.", probabilities: [1], labels: ["True."] }])).toThrow(/two labels, found 1/);
  });

  it("reads labels from predicted_label and scores from probabilities, whatever probability means in the job's mode", () => {
    // An HPO-mode answer: probability is the true class's; an ENSEMBLING one: the predicted label's.
    const labels = ["False.", "True."];
    const hpo = { predictions: [{ predicted_label: "False.", probability: 0.2, probabilities: [0.8, 0.2], labels }] };
    const ensembling = { predictions: [{ predicted_label: "False.", probability: 0.8, probabilities: [0.8, 0.2], labels }] };
    expect(parsePredictions(JSON.stringify(hpo))).toEqual(parsePredictions(JSON.stringify(ensembling)));
  });

  it("evaluates multiclass answers with a confusion matrix in the endpoint's label order", () => {
    const labels = ["setosa", "versicolor", "virginica"];
    const answer = (label: string) => ({ label, probabilities: labels.map((l) => (l === label ? 0.9 : 0.05)), labels });
    const evaluation = evaluate(["setosa", "setosa", "versicolor", "virginica"], ["setosa", "versicolor", "versicolor", "virginica"].map(answer));
    if (evaluation.kind !== "multiclass") throw new Error(`evaluated as ${evaluation.kind}`);
    expect(evaluation.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(evaluation.accuracy).toBeCloseTo(3 / 4);
    // Recalls 1/2, 1, 1; F1s 2/3, 2/3, 1.
    expect(evaluation.balancedAccuracy).toBeCloseTo(2.5 / 3);
    expect(evaluation.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 3);
    expect(() => evaluate(["rose"], [answer("setosa")])).toThrow(/"rose" is not one of the endpoint's labels/);
  });

  it("evaluates regression answers (predicted_label only) as numbers", () => {
    const evaluation = evaluate(["1", "2", "4"], parsePredictions(JSON.stringify({ predictions: [{ predicted_label: "1.5" }, { predicted_label: 2 }, { predicted_label: "3" }] })));
    if (evaluation.kind !== "regression") throw new Error(`evaluated as ${evaluation.kind}`);
    expect(evaluation.rmse).toBeCloseTo(Math.sqrt((0.25 + 0 + 1) / 3));
    expect(evaluation.mae).toBeCloseTo(0.5);
    expect(evaluation.points).toEqual([
      { actual: 1, predicted: 1.5 },
      { actual: 2, predicted: 2 },
      { actual: 4, predicted: 3 },
    ]);
    expect(() => evaluate(["x"], [{ label: "1" }])).toThrow(/the true value "x" is not a number/);
  });

  it("rejects answers it cannot read", () => {
    expect(() => parsePredictions("True.,0.9")).toThrow(SyntaxError);
    expect(() => parsePredictions(JSON.stringify({ answers: [] }))).toThrow(/no predictions list/);
    expect(() => parsePredictions(JSON.stringify({ predictions: [{ probability: 0.9 }] }))).toThrow(/no predicted_label/);
    expect(() => parsePredictions(JSON.stringify({ predictions: [{ predicted_label: "True.", probabilities: [0.9], labels: ["False.", "True."] }] }))).toThrow(/same length/);
  });
});

describe("batching rows under the payload limit", () => {
  const rows = Array.from({ length: 10 }, (_, i) => [`row${i}`, "x".repeat(5)]);

  it("keeps every row, in order, with no batch over the limit", () => {
    const batches = batchCsvRows(rows, 40);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((batch) => Buffer.byteLength(batch) <= 40)).toBe(true);
    expect(batches.join("\n").split("\n")).toEqual(rows.map((row) => row.join(",")));
  });

  it("sends everything at once when it fits, and refuses a row that never fits", () => {
    expect(batchCsvRows(rows)).toHaveLength(1);
    expect(() => batchCsvRows([["y".repeat(100)]], 50)).toThrow(/over the 50-byte payload limit/);
  });
});

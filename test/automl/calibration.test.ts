import { describe, expect, it } from "vitest";
import type { Task } from "../../lib/automl/learners/types.ts";
import { computeMetric, type MetricName } from "../../lib/automl/metrics.ts";
import type { ProblemType } from "../../lib/automl/problem.ts";
import { createRandom } from "../../lib/automl/rng.ts";
import { crossFittedCalibration } from "../../lib/automl/search/calibration.ts";
import { finishOutput } from "../../lib/automl/search/finish.ts";
import type { ScoredRows } from "../../lib/automl/search/scored-rows.ts";
import { tuneThreshold } from "../../lib/automl/search/threshold.ts";

const ROWS = 2000;

/** Rows dealt to five validation rounds, as cross-validation scores them. */
function scoredRows(y: Float64Array): ScoredRows {
  const positionsByRound = Array.from({ length: 5 }, (_, round) => Int32Array.from({ length: ROWS / 5 }, (_, i) => round + 5 * i));
  return { rows: Int32Array.from(y.keys()), y, positionsByRound };
}

function normal(random: ReturnType<typeof createRandom>): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function softmax(logits: number[]): number[] {
  const exps = logits.map(Math.exp);
  const total = exps.reduce((a, b) => a + b);
  return exps.map((e) => e / total);
}

function settings(objective: MetricName, problemType: ProblemType, task: Task, y: Float64Array) {
  return { objective, problemType, task, scored: scoredRows(y) };
}

describe("calibration on out-of-fold predictions", () => {
  it("Platt-scales an overconfident binary model: lower log loss out of sample, the same tuned F1", () => {
    const random = createRandom(4);
    const z = Array.from({ length: ROWS }, () => 1.5 * normal(random) - 1);
    const y = Float64Array.from(z, (value) => (random.next() < sigmoid(value) ? 1 : 0));
    const raw = Float64Array.from(z, (value) => sigmoid(3 * value + 0.5));
    const job = settings("F1", "BinaryClassification", { kind: "binary" }, y);
    const finished = finishOutput(raw, job);
    expect(finished.calibration?.kind).toBe("platt");
    const crossFitted = crossFittedCalibration({ kind: "binary" }, y, raw, job.scored.positionsByRound)!;
    const rawLogLoss = computeMetric("LogLoss", y, raw, { kind: "binary" });
    expect(computeMetric("LogLoss", y, crossFitted, { kind: "binary" })).toBeLessThan(rawLogLoss - 0.05);
    expect(finished.metrics.LogLoss).toBeLessThan(rawLogLoss - 0.05);
    expect(finished.objective).toBeCloseTo(tuneThreshold("F1", y, raw).value, 12);
    expect(finished.metrics.AUC).toBeCloseTo(computeMetric("AUC", y, raw, { kind: "binary" }), 12);
  });

  it("leaves a calibrated model alone: calibration must pay by more than chance", () => {
    const random = createRandom(5);
    const z = Array.from({ length: ROWS }, () => 1.5 * normal(random));
    const y = Float64Array.from(z, (value) => (random.next() < sigmoid(value) ? 1 : 0));
    const finished = finishOutput(Float64Array.from(z, sigmoid), settings("F1", "BinaryClassification", { kind: "binary" }, y));
    expect(finished.calibration).toBeUndefined();
  });

  it("temperature-scales an overconfident multiclass model: lower log loss, every row's class kept", () => {
    const random = createRandom(6);
    const classes = 3;
    const y = new Float64Array(ROWS);
    const raw = new Float64Array(ROWS * classes);
    for (let row = 0; row < ROWS; row++) {
      const logits = Array.from({ length: classes }, () => 1.2 * normal(random));
      const truth = softmax(logits);
      let u = random.next();
      y[row] = Math.max(0, truth.findIndex((p) => (u -= p) < 0));
      raw.set(softmax(logits.map((l) => 3 * l)), row * classes);
    }
    const task = { kind: "multiclass", classes } as const;
    const finished = finishOutput(raw, settings("Accuracy", "MulticlassClassification", task, y));
    expect(finished.calibration).toMatchObject({ kind: "temperature", classes });
    expect(finished.metrics.LogLoss).toBeLessThan(computeMetric("LogLoss", y, raw, task) - 0.05);
    expect(finished.objective).toBe(computeMetric("Accuracy", y, raw, task));
  });

  it("refits a biased regression affinely where that lowers the out-of-sample error", () => {
    const random = createRandom(7);
    const y = Float64Array.from({ length: ROWS }, () => 10 + 3 * normal(random));
    const raw = y.map((value) => 0.5 * value - 2 + normal(random));
    const finished = finishOutput(raw, settings("MSE", "Regression", { kind: "regression" }, y));
    expect(finished.calibration?.kind).toBe("affine");
    expect(finished.objective).toBeLessThan(computeMetric("MSE", y, raw, { kind: "regression" }) / 10);
  });
});

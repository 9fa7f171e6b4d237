import { beforeAll, describe, expect, it } from "vitest";
import { loadArtifact, runAutoML, type AutoMLResult, type LeaderboardEntry } from "../../lib/automl/index.ts";
import { analyseJobData, prepareJobData } from "../../lib/automl/job-data.ts";
import { computeMetric } from "../../lib/automl/metrics.ts";
import { permutationImportance } from "../../lib/automl/permutation-importance.ts";
import { parseCsv } from "../../lib/automl/csv.ts";
import { binaryCsv, multiclassCsv, regressionCsv } from "./fixtures.ts";

/** Rows of a fresh sample (another seed) without their header, and their true targets. */
function freshRows(csv: string, targetColumn: number) {
  const rows = parseCsv(csv).slice(1);
  return { features: rows.map((row) => row.filter((_, c) => c !== targetColumn)), truth: rows.map((row) => row[targetColumn]!) };
}

describe("binary classification end to end", () => {
  let result: AutoMLResult;
  const stages: string[] = [];
  const finished: LeaderboardEntry[] = [];
  beforeAll(async () => {
    result = await runAutoML({
      csv: binaryCsv(800),
      target: "churned",
      maxCandidates: 4,
      seed: 11,
      onProgress: (p) => stages.push(p.stage),
      onCandidate: (entry) => finished.push(entry),
    });
  });

  it("reports progress through Autopilot's stages in order, and each candidate as it finishes", () => {
    const order = [...new Set(stages)];
    expect(order).toEqual(["AnalyzingData", "FeatureEngineering", "ModelTuning", "Refitting", "Completed"]);
    expect(finished.map((entry) => entry.name).sort()).toEqual(result.leaderboard.filter((e) => e.algorithm !== "ensemble").map((e) => e.name).sort());
    for (const entry of finished) expect(entry).toEqual({ ...result.leaderboard.find((e) => e.name === entry.name)!, rank: entry.rank });
  });

  it("ranks every candidate and the ensemble by cross-validated F1, best first", () => {
    expect(result.problemType).toBe("BinaryClassification");
    expect(result.objective).toEqual({ metric: "F1", direction: "maximize" });
    expect(result.validation).toMatchObject({ kind: "cross-validation", rounds: 5, scoredRows: 800 });
    expect(result.validation.y).toHaveLength(800);
    expect(result.end).toBe("MaxCandidatesReached");
    // Each algorithm's defaults first, then a random draw, then (here) the ensemble.
    const names = result.leaderboard.map((entry) => entry.name).sort((a, b) => a.slice(-3).localeCompare(b.slice(-3)));
    expect(names.slice(0, 3)).toEqual(["gbdt-001", "linear-002", "mlp-003"]);
    expect(names[3]).toMatch(/^(gbdt|linear|mlp)-004$/);
    expect(names[4]).toBe("ensemble-005");
    expect(result.leaderboard.find((entry) => entry.algorithm === "ensemble")!.hyperparameters).toSatisfy(
      (weights: Record<string, number>) => Math.abs(Object.values(weights).reduce((a, b) => a + b) - 1) < 1e-9,
    );
    const completed = result.leaderboard.filter((entry) => entry.status === "Completed");
    const scores = completed.map((entry) => entry.objective!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(completed.length + result.leaderboard.filter((entry) => entry.stoppedEarly).length).toBe(5);
    for (const entry of completed) {
      expect(entry.metrics.F1).toBe(entry.objective);
      expect(Object.keys(entry.metrics).sort()).toEqual(["AUC", "Accuracy", "BalancedAccuracy", "F1", "F1macro", "LogLoss", "Precision", "Recall"]);
      expect(entry.fitSeconds).toBeGreaterThan(0);
    }
  });

  it("refits the best candidate and explains it by input column", () => {
    expect(result.best.name).toBe(result.leaderboard[0]!.name);
    expect(result.best.artifact.candidate.refitted).toBe(true);
    const columns = result.best.featureImportance.map((f) => f.column);
    expect(columns.slice(0, 2).sort()).toEqual(["calls", "usage"]);
    expect(columns).not.toContain("customer");
    expect(result.best.featureImportance.reduce((total, f) => total + f.importance, 0)).toBeCloseTo(1);
    // Permutation importance: a noise column with many categories counts once, and next to nothing.
    const share = (column: string) => result.best.featureImportance.find((f) => f.column === column)!.importance;
    expect(share("usage") + share("calls")).toBeGreaterThan(0.8);
    expect(share("color")).toBeLessThan(0.05);
  });

  it("measures permutation importance the same way for the same seed, on a sample of rows when there are many", () => {
    const job = prepareJobData(analyseJobData({ csv: binaryCsv(800), target: "churned" }), 11);
    const { data, y, task } = job.context;
    const once = permutationImportance(result.best.artifact.predictor, data, y, task, 7);
    expect(permutationImportance(result.best.artifact.predictor, data, y, task, 7)).toEqual(once);
    const sampled = permutationImportance(result.best.artifact.predictor, data, y, task, 7, 300);
    expect(sampled.slice(0, 2).map((f) => f.column).sort()).toEqual(["calls", "usage"]);
    expect(sampled.map((f) => f.column).sort()).toEqual(once.map((f) => f.column).sort());
  });

  it("predicts fresh rows well, with P(positive class) as the probability: the minority class, listed second", () => {
    const { features, truth } = freshRows(binaryCsv(400, 99), 6);
    const model = loadArtifact(JSON.stringify(result.best.artifact));
    const predictions = model.predict(features);
    expect(predictions[0]!.labels).toEqual(["yes", "no"]);
    for (const p of predictions) expect(p.probability).toBe(p.probabilities![1]);
    const y = Float64Array.from(truth, (label) => (label === "no" ? 1 : 0));
    const f1 = computeMetric("F1", y, Float64Array.from(predictions, (p) => p.probability!), { kind: "binary" }, result.best.artifact.decisionThreshold);
    expect(f1).toBeGreaterThan(0.85);
  });

  it("serializes every candidate as a self-describing artifact that predicts the same after a JSON round trip", () => {
    const rows = freshRows(binaryCsv(50, 5), 6).features;
    const completed = result.leaderboard.filter((entry) => entry.status === "Completed").map((entry) => entry.name);
    expect(Object.keys(result.candidateArtifacts).sort()).toEqual(completed.sort());
    for (const artifact of Object.values(result.candidateArtifacts)) {
      expect(artifact).toMatchObject({ format: "local-autopilot-model", formatVersion: 2, problemType: "BinaryClassification", target: "churned", labels: ["yes", "no"] });
      expect(artifact.candidate.refitted).toBe(false);
      expect(artifact.inputColumns.map((c) => `${c.name}:${c.role}`)).toEqual([
        "customer:dropped", "usage:feature", "calls:feature", "plan:feature", "color:feature", "region:dropped", "churned:target",
      ]);
      const direct = loadArtifact(artifact).predict(rows);
      const reloaded = loadArtifact(JSON.parse(JSON.stringify(artifact)) as object).predict(rows);
      expect(reloaded).toEqual(direct);
    }
  });
});

describe("multiclass classification end to end", () => {
  it("infers the problem, optimizes accuracy and predicts a probability per sorted label", async () => {
    const result = await runAutoML({ csv: multiclassCsv(600), target: "species", maxCandidates: 3, seed: 2 });
    expect(result.problemType).toBe("MulticlassClassification");
    expect(result.objective.metric).toBe("Accuracy");
    const { features, truth } = freshRows(multiclassCsv(300, 77), 3);
    const predictions = loadArtifact(result.best.artifact).predict(features);
    expect(predictions[0]!.labels).toEqual(["setosa", "versicolor", "virginica"]);
    for (const p of predictions) {
      expect(p.probabilities!.reduce((a, b) => a + b)).toBeCloseTo(1);
      expect(p.probability).toBe(Math.max(...p.probabilities!));
    }
    const accuracy = predictions.filter((p, i) => p.predicted_label === truth[i]).length / truth.length;
    expect(accuracy).toBeGreaterThan(0.9);
  });
});

describe("regression end to end", () => {
  it("infers regression, optimizes MSE and recovers the line", async () => {
    const result = await runAutoML({ csv: regressionCsv(600), target: "y", maxCandidates: 3, seed: 4 });
    expect(result.problemType).toBe("Regression");
    expect(result.objective).toEqual({ metric: "MSE", direction: "minimize" });
    const scores = result.leaderboard.filter((entry) => entry.status === "Completed").map((entry) => entry.objective!);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    const { features, truth } = freshRows(regressionCsv(200, 55), 2);
    const predictions = loadArtifact(result.best.artifact).predict(features);
    expect(predictions[0]!.probability).toBeUndefined();
    const y = Float64Array.from(truth, Number);
    const r2 = computeMetric("R2", y, Float64Array.from(predictions, (p) => Number(p.predicted_label)), { kind: "regression" });
    expect(r2).toBeGreaterThan(0.97);
  });
});

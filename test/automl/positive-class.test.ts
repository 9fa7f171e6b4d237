import { beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../lib/automl/cli-args.ts";
import { formatCsvRow } from "../../lib/automl/csv.ts";
import { AutoMLInputError, loadArtifact, runAutoML, splitIntoStages, loadAlgorithm, transformFeatures, type AutoMLResult } from "../../lib/automl/index.ts";
import { computeMetric } from "../../lib/automl/metrics.ts";
import { createRandom } from "../../lib/automl/rng.ts";
import { tuneThreshold } from "../../lib/automl/search/threshold.ts";

/** A 1:12 fraud table whose minority label, "fraud", sorts before "ok". */
function fraudCsv(rows: number, seed: number): string {
  const random = createRandom(seed);
  const lines = [formatCsvRow(["amount", "hour", "merchant", "label"])];
  for (let i = 0; i < rows; i++) {
    const amount = random.next() * 10;
    const hour = random.int(24);
    const merchant = ["a", "b", "c", "d"][random.int(4)]!;
    const risk = 1.4 * amount + (hour < 5 ? 3 : 0) + (merchant === "d" ? 1.5 : 0) + (random.next() - 0.5) * 6;
    lines.push(formatCsvRow([amount.toFixed(3), String(hour), merchant, risk > 13.5 ? "fraud" : "ok"]));
  }
  return lines.join("\n");
}

describe("the positive class of a binary problem", () => {
  let result: AutoMLResult;
  beforeAll(async () => {
    result = await runAutoML({ csv: fraudCsv(900, 1), target: "label", maxCandidates: 1, ensembling: "none", seed: 3 });
  }, 60_000);

  it("is the minority class even when it sorts first, as Autopilot encodes it, and F1 is that class's", () => {
    const { artifact } = result.best;
    expect(artifact.labels).toEqual(["ok", "fraud"]);
    expect(result.analysis.target.classCounts[1]).toBeLessThan(result.analysis.target.classCounts[0]! / 5);
    const y = result.validation.y;
    expect(y.filter((c) => c === 1).length).toBe(result.analysis.target.classCounts[1]);
    const entry = result.leaderboard[0]!;
    const output = result.validationOutputs[entry.name]!;
    expect(entry.metrics.F1).toBeCloseTo(computeMetric("F1", y, output, { kind: "binary" }, entry.decisionThreshold), 12);
    // The F1 of the fraud class, not of the 92 % majority (which would be near 0.95).
    expect(entry.metrics.F1).toBeLessThan(0.9);
    expect(entry.metrics.F1).toBeGreaterThan(0.5);
  });

  it("has a decision threshold tuned for F1 on the out-of-fold predictions, stored in the artifact and used to predict", () => {
    const { artifact } = result.best;
    const entry = result.leaderboard[0]!;
    const y = result.validation.y;
    const output = result.validationOutputs[entry.name]!;
    const tuned = tuneThreshold("F1", y, output);
    expect(artifact.decisionThreshold).toBe(tuned.threshold);
    expect(entry.decisionThreshold).toBe(tuned.threshold);
    expect(artifact.decisionThreshold).not.toBe(0.5);
    expect(entry.metrics.F1).toBeCloseTo(tuned.value, 12);
    expect(tuned.value).toBeGreaterThan(computeMetric("F1", y, output, { kind: "binary" }));

    const rows = fraudCsv(400, 9).split("\n").slice(1).map((line) => line.split(",").slice(0, 3));
    const model = loadArtifact(JSON.parse(JSON.stringify(artifact)) as object);
    const predictions = model.predict(rows);
    for (const p of predictions) expect(p.predicted_label).toBe(p.probability! > artifact.decisionThreshold! ? "fraud" : "ok");
    const between = predictions.filter((p) => p.probability! > artifact.decisionThreshold! !== p.probability! > 0.5);
    expect(between.length).toBeGreaterThan(0);
    // The pipeline's algorithm stage labels by the same threshold.
    const { dataProcessor, algorithm } = splitIntoStages(artifact);
    expect(algorithm.decisionThreshold).toBe(artifact.decisionThreshold);
    const scores = loadAlgorithm(algorithm).score(transformFeatures(dataProcessor, rows));
    expect(scores.map((score) => artifact.labels[score.predicted])).toEqual(predictions.map((p) => p.predicted_label));
    // A version 1 artifact (sorted labels, no threshold) still loads, and labels at 0.5.
    const old = { ...JSON.parse(JSON.stringify(artifact)), formatVersion: 1 };
    delete old.decisionThreshold;
    for (const p of loadArtifact(old).predict(rows)) expect(p.predicted_label).toBe(p.probability! > 0.5 ? "fraud" : "ok");
  });

  it("can be chosen instead (positiveClass, the CLI's --positive-class)", async () => {
    const chosen = await runAutoML({ csv: fraudCsv(900, 1), target: "label", positiveClass: "ok", maxCandidates: 1, ensembling: "none", seed: 3 });
    expect(chosen.best.artifact.labels).toEqual(["fraud", "ok"]);
    expect(chosen.leaderboard[0]!.metrics.F1).toBeGreaterThan(0.9);
    const command = parseCommand(["train", "--data", "d.csv", "--target", "label", "--out", "m", "--positive-class", "ok"]);
    expect(command).toMatchObject({ command: "train", settings: { positiveClass: "ok" } });
    await expect(runAutoML({ csv: fraudCsv(600, 1), target: "label", positiveClass: "maybe", maxCandidates: 1 })).rejects.toThrow(
      new AutoMLInputError('positiveClass "maybe" is not a value of target "label"; its values are "fraud" and "ok".'),
    );
  }, 60_000);
});

describe("threshold tuning", () => {
  it("takes the cut between probabilities that maximizes F1, nearest 0.5 among equals", () => {
    const y = Float64Array.from([1, 1, 0, 0, 0, 0]);
    const p = Float64Array.from([0.4, 0.3, 0.35, 0.1, 0.1, 0.05]);
    // Cuts: above 0.4 → F1 2/3; 0.35 → 1/2; 0.3 → 4/5; 0.1 → 4/7; 0.05 → 1/2. Nothing is positive at 0.5.
    expect(tuneThreshold("F1", y, p)).toEqual({ threshold: 0.2, value: 0.8 });
    expect(computeMetric("F1", y, p, { kind: "binary" })).toBe(0);
    expect(computeMetric("F1", y, p, { kind: "binary" }, 0.2)).toBe(0.8);
    expect(tuneThreshold("BalancedAccuracy", y, p)).toEqual({ threshold: 0.2, value: 0.875 });
  });
});

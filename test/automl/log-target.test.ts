import { describe, expect, it } from "vitest";
import { formatCsvRow } from "../../lib/automl/csv.ts";
import { loadArtifact, runAutoML } from "../../lib/automl/index.ts";
import { createRandom } from "../../lib/automl/rng.ts";
import { logTargetEligible } from "../../lib/automl/search/target-transform.ts";

/** A price-like target: multiplicative in its features, log-normal noise, right-skewed. */
function logNormalRows(rows: number, seed: number): string[][] {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return Array.from({ length: rows }, () => {
    const x = [random.next() * 4, random.next() * 4, random.next() * 4];
    const price = Math.exp(1 + 0.7 * x[0]! - 0.5 * x[1]! + 0.3 * x[2]! + 0.35 * normal());
    return [...x.map((value) => value.toFixed(4)), price.toFixed(3)];
  });
}

const rmse = (predicted: number[], truth: number[]) => Math.sqrt(predicted.reduce((total, p, i) => total + (p - truth[i]!) ** 2, 0) / truth.length);

describe("a right-skewed positive regression target", () => {
  it("is tried on the log scale, chosen by cross-validation on the raw scale, and beats the untransformed fits", async () => {
    const csv = [formatCsvRow(["x1", "x2", "x3", "price"]), ...logNormalRows(600, 1).map(formatCsvRow)].join("\n");
    const result = await runAutoML({ csv, target: "price", maxCandidates: 5, ensembling: "none", seed: 2 });
    const byName = Object.fromEntries(result.leaderboard.map((entry) => [entry.name, entry]));
    // The baselines, then the same defaults on log(price).
    expect(byName["linear-002"]!.hyperparameters.targetTransform).toBeUndefined();
    expect(byName["linear-005"]!.hyperparameters).toMatchObject({ targetTransform: "log", regularization: byName["linear-002"]!.hyperparameters.regularization });
    expect(byName["linear-005"]!.objective!).toBeLessThan(0.8 * byName["linear-002"]!.objective!);
    const best = result.leaderboard[0]!;
    expect(best.hyperparameters.targetTransform).toBe("log");

    const fresh = logNormalRows(400, 7);
    const truth = fresh.map((row) => Number(row[3]));
    const testRmse = (name: string) => rmse(loadArtifact(result.candidateArtifacts[name]!).predict(fresh).map((p) => Number(p.predicted_label)), truth);
    const untransformed = result.leaderboard.filter((entry) => entry.status === "Completed" && entry.hyperparameters.targetTransform === undefined);
    const bestUntransformed = Math.min(...untransformed.map((entry) => testRmse(entry.name)));
    expect(testRmse(best.name)).toBeLessThan(0.95 * bestUntransformed);
  }, 120_000);

  it("is the only kind that gets a log candidate", () => {
    const random = createRandom(3);
    const skewed = Float64Array.from({ length: 500 }, () => Math.exp(2 * random.next() + random.next()));
    const symmetric = Float64Array.from({ length: 500 }, () => 10 + random.next());
    expect(logTargetEligible({ kind: "regression" }, skewed)).toBe(true);
    expect(logTargetEligible({ kind: "regression" }, symmetric)).toBe(false);
    expect(logTargetEligible({ kind: "regression" }, Float64Array.from(skewed, (value, i) => (i === 0 ? 0 : value)))).toBe(false);
    expect(logTargetEligible({ kind: "binary" }, Float64Array.from(skewed, (value) => (value > 20 ? 1 : 0)))).toBe(false);
  });
});

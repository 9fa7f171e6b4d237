import { describe, expect, it } from "vitest";
import type { CandidateOutcome } from "../../lib/automl/search/candidates.ts";
import { computeMetric } from "../../lib/automl/metrics.ts";
import { ENSEMBLE_PICKS, ensembleCandidate, PRUNING_TOLERANCE, rankCandidates } from "../../lib/automl/search/ensemble.ts";
import type { RefitPlan } from "../../lib/automl/search/refit-plan.ts";
import type { ScoredRows } from "../../lib/automl/search/scored-rows.ts";

/** A refit plan without the calibration in front, if any. */
function unmapped(plan: RefitPlan): RefitPlan {
  return plan.kind === "mapped" ? plan.base : plan;
}

const y = Float64Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
const scored: ScoredRows = { rows: Int32Array.from(y.keys()), y, positionsByRound: [Int32Array.from(y.keys())] };
const settings = { objective: "AUC" as const, problemType: "BinaryClassification" as const, task: { kind: "binary" } as const, scored, index: 3 };

function candidate(index: number, output: number[], objective: number): CandidateOutcome {
  const spec = { algorithm: "gbdt" as const, params: {}, seed: index };
  return {
    name: `gbdt-00${index + 1}`,
    index,
    algorithm: "gbdt",
    params: {},
    refit: { kind: "fit", spec },
    status: "Completed",
    output: Float64Array.from(output),
    metrics: { AUC: objective },
    objective,
    predictor: { kind: "average", members: [] },
    fitSeconds: 1,
  };
}

describe("greedy ensemble selection", () => {
  // Each candidate misorders different pairs (AUC 14/16 and 15/16); their average orders every row right.
  const a = candidate(0, [0.9, 0.8, 0.3, 0.7, 0.4, 0.2, 0.1, 0.35], 0.875);
  const b = candidate(1, [0.3, 0.8, 0.9, 0.7, 0.2, 0.1, 0.4, 0.25], 0.9375);

  it("weights complementary candidates into a better one, weights summing to 1", () => {
    const ensemble = ensembleCandidate([a, b], settings)!;
    expect(ensemble.name).toBe("ensemble-004");
    expect(ensemble.objective).toBe(1);
    expect(ensemble.objective).toBeGreaterThan(b.objective);
    expect(Object.keys(ensemble.params)).toEqual(["gbdt-002", "gbdt-001"]);
    const weights = Object.values(ensemble.params) as number[];
    expect(weights.reduce((total, w) => total + w)).toBeCloseTo(1);
    expect(weights.every((w) => Math.abs(w * ENSEMBLE_PICKS - Math.round(w * ENSEMBLE_PICKS)) < 1e-9)).toBe(true);
    expect(unmapped(ensemble.refit!)).toEqual({ kind: "average", members: [b.refit, a.refit], weights });
  });

  it("prunes a member that adds nothing, its picks with it", () => {
    // Greedy selection picks gbdt-002 14 times, gbdt-003 10 times and gbdt-001 once; the pair alone already orders every row right.
    const c1 = candidate(0, [0.3, 0.4, 0.8, 0.5, 0.2, 0.3, 0.4, 0.2], 0.75);
    const c2 = candidate(1, [0.2, 0.8, 0.5, 0.7, 0.6, 0.1, 0.1, 0.2], 0.84375);
    const c3 = candidate(2, [1, 0.8, 0.7, 0.8, 0.4, 0.9, 0.3, 0.7], 0.78125);
    const ensemble = ensembleCandidate([c1, c2, c3], settings)!;
    expect(ensemble.objective).toBe(1);
    expect(ensemble.params).toEqual({ "gbdt-002": 14 / 24, "gbdt-003": 10 / 24 });
    expect(unmapped(ensemble.refit!)).toMatchObject({ kind: "average", members: [c2.refit, c3.refit] });
  });

  it.each([
    // |v|² / (|u|² + |v|²) is 0.04 % for 0.002 and 3.8 % for 0.02.
    [0.002, "prunes a member whose gain is within the tolerance, leaving no ensemble", []],
    [0.02, "keeps a member whose gain exceeds the tolerance", ["gbdt-001", "gbdt-002"]],
  ])("with errors u ± %f·v (u ⟂ v), %s", (size, _, members) => {
    // Two regressors with errors u + v and u - v: their average errs by u alone, a share |v|² / (|u|² + |v|²) less.
    const target = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const u = [0.1, 0.1, -0.1, -0.1, 0.1, 0.1, -0.1, -0.1];
    const v = [1, -1, 1, -1, 1, -1, 1, -1].map((sign) => sign * size);
    const regressor = (index: number, sign: number): CandidateOutcome => {
      const output = Array.from(target, (value, i) => value + u[i]! + sign * v[i]!);
      const mse = computeMetric("MSE", target, Float64Array.from(output), { kind: "regression" });
      return { ...candidate(index, output, mse), metrics: { MSE: mse } };
    };
    const regression = { objective: "MSE" as const, problemType: "Regression" as const, task: { kind: "regression" } as const, scored: { ...scored, y: target }, index: 2 };
    const ensemble = ensembleCandidate([regressor(0, 1), regressor(1, -1)], regression);
    expect(PRUNING_TOLERANCE).toBeGreaterThan(0.0004);
    expect(PRUNING_TOLERANCE).toBeLessThan(0.038);
    expect(ensemble ? Object.keys(ensemble.params) : []).toEqual(members);
  });

  it("offers no ensemble when one candidate alone is best", () => {
    const perfect = candidate(2, [0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1], 1);
    expect(ensembleCandidate([a, perfect], settings)).toBeUndefined();
    expect(ensembleCandidate([a], settings)).toBeUndefined();
  });

  it("ranks by the objective, ties by creation order, unfinished candidates last", () => {
    const stopped = { ...candidate(4, [], Number.NaN), status: "Stopped" as const };
    const tied = candidate(3, [], 0.9375);
    expect(rankCandidates([stopped, tied, a, b], "AUC").map((c) => c.name)).toEqual(["gbdt-002", "gbdt-004", "gbdt-001", "gbdt-005"]);
  });
});

import { describe, expect, it } from "vitest";
import type { CandidateOutcome } from "../../lib/automl/search/candidates.ts";
import { ENSEMBLE_PICKS, ensembleCandidate, rankCandidates } from "../../lib/automl/search/ensemble.ts";
import type { ScoredRows } from "../../lib/automl/search/scored-rows.ts";

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
    refits: [spec],
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
    expect(ensemble.weights!.reduce((total, w) => total + w)).toBeCloseTo(1);
    expect(ensemble.weights!.every((w) => w * ENSEMBLE_PICKS === Math.round(w * ENSEMBLE_PICKS))).toBe(true);
    expect(ensemble.refits).toEqual([...b.refits, ...a.refits]);
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

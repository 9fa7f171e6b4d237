import { beforeAll, describe, expect, it } from "vitest";
import { runAutoML, type AutoMLResult } from "../../lib/automl/index.ts";
import { planCandidate } from "../../lib/automl/search/plan.ts";
import { ranksInBestShare } from "../../lib/automl/search/search.ts";
import { binaryCsv } from "./fixtures.ts";

describe("the candidate plan", () => {
  it("starts with each algorithm's defaults, then draws from the search spaces by seed", () => {
    expect([0, 1, 2].map((i) => planCandidate(i, 5).name)).toEqual(["gbdt-001", "linear-002", "mlp-003"]);
    const draws = (seed: number) => Array.from({ length: 8 }, (_, i) => planCandidate(3 + i, seed));
    expect(draws(5)).toEqual(draws(5));
    expect(draws(5).map((c) => c.params)).not.toEqual(draws(6).map((c) => c.params));
    expect(new Set(draws(5).map((c) => c.seed)).size).toBe(8);
  });
});

describe("successive halving", () => {
  it("lets a candidate go on when its first-round score is in the best third of those so far, rounding up", () => {
    expect(ranksInBestShare("F1", [0.9])).toBe(true);
    expect(ranksInBestShare("F1", [0.9, 0.8])).toBe(false);
    expect(ranksInBestShare("F1", [0.9, 0.8, 0.85])).toBe(false);
    expect(ranksInBestShare("F1", [0.9, 0.8, 0.7, 0.85])).toBe(true);
    expect(ranksInBestShare("F1", [0.9, 0.8, 0.85, 0.82])).toBe(false);
    // Ties go to the earlier candidate; failed candidates (undefined) do not count.
    expect(ranksInBestShare("F1", [0.9, 0.9])).toBe(false);
    expect(ranksInBestShare("F1", [undefined, 0.5])).toBe(true);
    // For a metric to minimize, lower is better.
    expect(ranksInBestShare("MSE", [2, 1])).toBe(true);
  });
});

describe("determinism", () => {
  const csv = binaryCsv(600);
  /** The leaderboard without timings: what must not change between identical runs. */
  const outcome = (result: AutoMLResult) => result.leaderboard.map(({ fitSeconds: _, ...entry }) => entry);

  let one: AutoMLResult;
  beforeAll(async () => {
    one = await runAutoML({ csv, target: "churned", maxCandidates: 7, seed: 3, workers: 1 });
  });

  it("gives the same leaderboard and models for the same data, seed and budget, whatever the worker count", async () => {
    const two = await runAutoML({ csv, target: "churned", maxCandidates: 7, seed: 3, workers: 2 });
    expect(outcome(two)).toEqual(outcome(one));
    expect(JSON.stringify(two.best.artifact)).toBe(JSON.stringify(one.best.artifact));
    expect(JSON.stringify(two.candidateArtifacts)).toBe(JSON.stringify(one.candidateArtifacts));
  });

  it("validates the baselines in full and stops weak draws after their first round", () => {
    const entry = (name: string) => one.leaderboard.find((e) => e.name === name)!;
    for (const baseline of ["gbdt-001", "linear-002", "mlp-003"]) expect(entry(baseline).status).toBe("Completed");
    const stopped = one.leaderboard.filter((e) => e.stoppedEarly);
    expect(stopped.length).toBeGreaterThan(0);
    for (const e of stopped) {
      expect(e).toMatchObject({ status: "Stopped", objective: null });
      expect(e.failureReason).toMatch(/^stopped early: its first validation round \(F1 0\.\d+\) ranked outside the best third of the candidates so far$/);
      expect(one.candidateArtifacts[e.name]).toBeUndefined();
    }
    // Stopped candidates rank after every completed one.
    const firstStopped = one.leaderboard.findIndex((e) => e.status !== "Completed");
    expect(one.leaderboard.slice(firstStopped).every((e) => e.status !== "Completed")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { runAutoML } from "../../lib/automl/index.ts";
import { binaryCsv } from "./fixtures.ts";

const csv = binaryCsv(700);

describe("budgets", () => {
  it("trains exactly maxCandidates candidates, plus at most the ensemble", async () => {
    const result = await runAutoML({ csv, target: "churned", maxCandidates: 2, seed: 1 });
    const names = result.leaderboard.map((e) => e.name);
    expect(names.filter((name) => !name.startsWith("ensemble-")).sort()).toEqual(["gbdt-001", "linear-002"]);
    expect(names.filter((name) => name.startsWith("ensemble-")).length).toBeLessThanOrEqual(1);
    expect(result.end).toBe("MaxCandidatesReached");
  });

  it("stops at the job's runtime and still returns its best so far", async () => {
    const result = await runAutoML({ csv: binaryCsv(1500), target: "churned", maxCandidates: 200, maxRuntimeSeconds: 6, seed: 1 });
    expect(result.end).toBe("MaxAutoMLJobRuntimeReached");
    expect(result.seconds).toBeLessThan(6 + 1);
    expect(result.leaderboard.filter((e) => e.status === "Completed").length).toBeGreaterThan(0);
    expect(result.leaderboard.length).toBeLessThan(200);
    expect(result.best.artifact.candidate.name).toBe(result.leaderboard[0]!.name);
  });

  it("keeps each candidate's training within its own time limit", async () => {
    const perCandidate = 0.5;
    const result = await runAutoML({ csv: binaryCsv(3000), target: "churned", maxCandidates: 3, maxRuntimePerCandidateSeconds: perCandidate, seed: 1 });
    // Learners check their deadline between iterations; one iteration per round may overrun it.
    for (const entry of result.leaderboard.filter((e) => e.algorithm !== "ensemble")) expect(entry.fitSeconds).toBeLessThan(perCandidate + 0.5);
  });

  it("stops on an AbortSignal with the best candidate so far, as validated", async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const result = await runAutoML({
      csv,
      target: "churned",
      maxCandidates: 50,
      seed: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.candidatesCompleted >= 1 && !controller.signal.aborted) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(result.end).toBe("Stopped");
    expect(result.best.artifact.candidate.refitted).toBe(false);
    expect(result.leaderboard.length).toBeLessThan(10);
    expect(result.leaderboard[0]!.status).toBe("Completed");
  });

  it("stops during the refit with the best candidate as validated", async () => {
    const controller = new AbortController();
    const result = await runAutoML({
      csv,
      target: "churned",
      maxCandidates: 2,
      seed: 1,
      signal: controller.signal,
      onProgress: (p) => p.stage === "Refitting" && controller.abort(),
    });
    expect(result.end).toBe("Stopped");
    expect(result.best.artifact).toBe(result.candidateArtifacts[result.best.name]);
  });

  it("fails clearly when stopped before any candidate completed", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runAutoML({ csv, target: "churned", signal: controller.signal })).rejects.toThrow("The job was stopped before any candidate completed.");
  });
});

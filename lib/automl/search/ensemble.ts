import type { Task } from "../learners/types.ts";
import { computeAllMetrics, computeMetric, isBetter, type MetricName } from "../metrics.ts";
import type { ProblemType } from "../problem.ts";
import type { CandidateOutcome } from "./candidates.ts";
import type { ScoredRows } from "./scored-rows.ts";

/** Picks made by the greedy ensemble selection; a member's weight is its share of them. */
export const ENSEMBLE_PICKS = 25;

/** Ranks candidates best first: Completed by objective, ties by creation order, then the rest. */
export function rankCandidates(candidates: readonly CandidateOutcome[], objective: MetricName): CandidateOutcome[] {
  return [...candidates].sort((a, b) => {
    if (isBetter(objective, a.objective, b.objective)) return -1;
    if (isBetter(objective, b.objective, a.objective)) return 1;
    return a.index - b.index;
  });
}

/**
 * One more candidate: a weighted average of the completed candidates' validation outputs, built
 * by greedy ensemble selection with replacement (Caruana et al., 2004, as AutoGluon does): each
 * pick adds the candidate that most improves the objective of the running average. Undefined
 * when fewer than two distinct candidates get picked.
 */
export function ensembleCandidate(
  candidates: readonly CandidateOutcome[],
  settings: { objective: MetricName; problemType: ProblemType; task: Task; scored: ScoredRows; index: number },
): CandidateOutcome | undefined {
  const { objective, task, scored } = settings;
  const pool = rankCandidates(candidates, objective).filter((candidate) => candidate.status === "Completed");
  const picks = new Array<number>(pool.length).fill(0);
  const sum = new Float64Array(pool[0]?.output?.length ?? 0);
  const trial = new Float64Array(sum.length);
  for (let pick = 1; pick <= ENSEMBLE_PICKS && pool.length > 1; pick++) {
    let chosen = -1;
    let chosenScore = Number.NaN;
    pool.forEach((candidate, c) => {
      const output = candidate.output!;
      for (let i = 0; i < sum.length; i++) trial[i] = (sum[i]! + output[i]!) / pick;
      const score = computeMetric(objective, scored.y, trial, task);
      if (chosen < 0 || isBetter(objective, score, chosenScore)) {
        chosen = c;
        chosenScore = score;
      }
    });
    const output = pool[chosen]!.output!;
    for (let i = 0; i < sum.length; i++) sum[i]! += output[i]!;
    picks[chosen]!++;
  }
  const members = pool.filter((_, c) => picks[c]! > 0);
  if (members.length < 2) return undefined;
  const weights = picks.filter((count) => count > 0).map((count) => count / ENSEMBLE_PICKS);
  const output = sum.map((value) => value / ENSEMBLE_PICKS);
  const metrics = computeAllMetrics(settings.problemType, scored.y, output, task);
  return {
    name: `ensemble-${String(settings.index + 1).padStart(3, "0")}`,
    index: settings.index,
    algorithm: "ensemble",
    params: Object.fromEntries(members.map((member, m) => [member.name, weights[m]!])),
    refits: members.flatMap((member) => member.refits),
    weights,
    status: "Completed",
    output,
    metrics,
    objective: metrics[objective]!,
    predictor: { kind: "average", members: members.map((member) => member.predictor!), weights },
    fitSeconds: members.reduce((total, member) => total + member.fitSeconds, 0),
  };
}

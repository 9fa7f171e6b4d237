import type { Task } from "../learners/types.ts";
import { computeAllMetrics, isBetter, type MetricName } from "../metrics.ts";
import type { ProblemType } from "../problem.ts";
import type { CandidateOutcome } from "./candidates.ts";
import type { ScoredRows } from "./scored-rows.ts";

/** How many of the best candidates the ensemble averages. */
export const ENSEMBLE_SIZE = 3;

/** Ranks candidates best first: Completed by objective, ties by creation order, then the rest. */
export function rankCandidates(candidates: readonly CandidateOutcome[], objective: MetricName): CandidateOutcome[] {
  return [...candidates].sort((a, b) => {
    if (isBetter(objective, a.objective, b.objective)) return -1;
    if (isBetter(objective, b.objective, a.objective)) return 1;
    return a.index - b.index;
  });
}

/**
 * One more candidate: the average of the best few candidates' outputs (probabilities or values),
 * scored on the same validation rows. Undefined when fewer than two candidates completed.
 */
export function ensembleCandidate(
  candidates: readonly CandidateOutcome[],
  settings: { objective: MetricName; problemType: ProblemType; task: Task; scored: ScoredRows; index: number },
): CandidateOutcome | undefined {
  const members = rankCandidates(candidates, settings.objective)
    .filter((candidate) => candidate.status === "Completed")
    .slice(0, ENSEMBLE_SIZE);
  if (members.length < 2) return undefined;
  const output = new Float64Array(members[0]!.output!.length);
  for (const member of members) member.output!.forEach((value, i) => (output[i]! += value / members.length));
  const metrics = computeAllMetrics(settings.problemType, settings.scored.y, output, settings.task);
  return {
    name: `ensemble-${String(settings.index + 1).padStart(3, "0")}`,
    index: settings.index,
    algorithm: "ensemble",
    params: { members: members.map((member) => member.name).join(" ") },
    refits: members.flatMap((member) => member.refits),
    status: "Completed",
    output,
    metrics,
    objective: metrics[settings.objective]!,
    predictor: { kind: "average", members: members.map((member) => member.predictor!) },
    fitSeconds: members.reduce((total, member) => total + member.fitSeconds, 0),
  };
}

import type { Task } from "../learners/types.ts";
import { computeMetric, isBetter, metricDirection, type MetricName } from "../metrics.ts";
import type { PredictorSpec } from "../predictor.ts";
import type { ProblemType } from "../problem.ts";
import type { CandidateOutcome } from "./candidates.ts";
import { finishOutput } from "./finish.ts";
import { behindMap, type RefitPlan } from "./refit-plan.ts";
import type { ScoredRows } from "./scored-rows.ts";
import { objectiveAtBestThreshold } from "./threshold.ts";

/** Picks made by the greedy ensemble selection; a member's weight is its share of them. */
export const ENSEMBLE_PICKS = 25;
/**
 * Candidates the selection picks among, the best-ranked: each pick scores every one of them, so
 * this bounds an ensemble's cost (and an ensembling job's, whose every trial selects) however many
 * candidates a job trains.
 */
export const ENSEMBLE_POOL = 30;
/**
 * A member is pruned when the ensemble without it scores within this share of the objective of
 * the ensemble as selected: a gain this small does not pay for a refit and a prediction more.
 */
export const PRUNING_TOLERANCE = 1e-3;

/** Ranks candidates best first: Completed by objective, ties by creation order, then the rest. */
export function rankCandidates(candidates: readonly CandidateOutcome[], objective: MetricName): CandidateOutcome[] {
  return [...candidates].sort((a, b) => {
    if (isBetter(objective, a.objective, b.objective)) return -1;
    if (isBetter(objective, b.objective, a.objective)) return 1;
    return a.index - b.index;
  });
}

/**
 * One more candidate: a weighted average of the completed candidates' validation outputs (as
 * calibrated), built by greedy ensemble selection with replacement (Caruana et al., 2004, as
 * AutoGluon does): each pick adds the candidate that most improves the objective of the running
 * average (at its tuned threshold, where the objective tunes one), ties going to the lower log
 * loss, so that an objective that counts right answers, like accuracy, does not leave the
 * probabilities to chance. Then the members that add next to nothing are pruned, as each costs a
 * refit and a prediction, and the average is calibrated in its turn. Undefined when fewer than
 * `minMembers` (default two) distinct candidates remain.
 */
export function ensembleCandidate(
  candidates: readonly CandidateOutcome[],
  settings: { objective: MetricName; problemType: ProblemType; task: Task; scored: ScoredRows; index: number; name?: string; minMembers?: number },
): CandidateOutcome | undefined {
  const { objective, task, scored } = settings;
  const pool = rankCandidates(candidates, objective)
    .filter((candidate) => candidate.status === "Completed")
    .slice(0, ENSEMBLE_POOL);
  const outputs = pool.map((candidate) => candidate.output!);
  const score = (output: Float64Array): number => objectiveAtBestThreshold(objective, scored.y, output, task);
  const tieBreak = (output: Float64Array): number => (task.kind === "regression" ? 0 : computeMetric("LogLoss", scored.y, output, task));
  const picks = pickGreedily(outputs, score, tieBreak, objective);
  pruneMembers(outputs, picks, score, objective);
  const members = pool.filter((_, c) => picks[c]! > 0);
  if (members.length < (settings.minMembers ?? 2)) return undefined;
  const weights = picks.filter((count) => count > 0).map((count) => count / sumOf(picks));
  const finished = finishOutput(averageOutput(outputs, picks), settings);
  return {
    name: settings.name ?? `ensemble-${String(settings.index + 1).padStart(3, "0")}`,
    index: settings.index,
    algorithm: "ensemble",
    params: Object.fromEntries(members.map((member, m) => [member.name, weights[m]!])),
    ...finished,
    refit: behindMap<RefitPlan>({ kind: "average", members: members.map((member) => member.refit!), weights }, finished.calibration),
    status: "Completed",
    predictor: behindMap<PredictorSpec>({ kind: "average", members: members.map((member) => member.predictor!), weights }, finished.calibration),
    fitSeconds: members.reduce((total, member) => total + member.fitSeconds, 0),
  };
}

/**
 * How many of the ENSEMBLE_PICKS picks went to each output; ties go to the lower `tieBreak`, then
 * to the better-ranked candidate.
 */
function pickGreedily(outputs: readonly Float64Array[], score: (output: Float64Array) => number, tieBreak: (output: Float64Array) => number, objective: MetricName): number[] {
  const picks = new Array<number>(outputs.length).fill(0);
  const sum = new Float64Array(outputs[0]?.length ?? 0);
  const trial = new Float64Array(sum.length);
  for (let pick = 1; pick <= ENSEMBLE_PICKS && outputs.length > 0; pick++) {
    let chosen = -1;
    let chosenScore = Number.NaN;
    let chosenTieBreak = Number.NaN;
    outputs.forEach((output, c) => {
      for (let i = 0; i < sum.length; i++) trial[i] = (sum[i]! + output[i]!) / pick;
      const trialScore = score(trial);
      const tied = chosen >= 0 && !isBetter(objective, trialScore, chosenScore) && !isBetter(objective, chosenScore, trialScore);
      const trialTieBreak = tied || chosen < 0 ? tieBreak(trial) : Number.NaN;
      if (chosen < 0 || isBetter(objective, trialScore, chosenScore) || (tied && trialTieBreak < chosenTieBreak)) {
        chosen = c;
        chosenScore = trialScore;
        chosenTieBreak = trialTieBreak;
      }
    });
    const output = outputs[chosen]!;
    for (let i = 0; i < sum.length; i++) sum[i]! += output[i]!;
    picks[chosen]!++;
  }
  return picks;
}

/**
 * Zeroes the picks of members that add nothing, in place: while some member can go with the
 * objective still within PRUNING_TOLERANCE of the unpruned ensemble's, the one whose removal
 * scores best goes (ties: the worse-ranked member).
 */
function pruneMembers(outputs: readonly Float64Array[], picks: number[], score: (output: Float64Array) => number, objective: MetricName): void {
  const selected = score(averageOutput(outputs, picks));
  const slack = PRUNING_TOLERANCE * Math.abs(selected);
  const worstTolerated = metricDirection(objective) === "maximize" ? selected - slack : selected + slack;
  for (;;) {
    let dropped = -1;
    let droppedScore = Number.NaN;
    for (let c = outputs.length - 1; c >= 0; c--) {
      const count = picks[c]!;
      if (count === 0 || count === sumOf(picks)) continue;
      picks[c] = 0;
      const without = score(averageOutput(outputs, picks));
      picks[c] = count;
      if (!isBetter(objective, worstTolerated, without) && (dropped < 0 || isBetter(objective, without, droppedScore))) {
        dropped = c;
        droppedScore = without;
      }
    }
    if (dropped < 0) return;
    picks[dropped] = 0;
  }
}

function sumOf(counts: readonly number[]): number {
  return counts.reduce((total, count) => total + count, 0);
}

/** The outputs averaged with weights proportional to their picks. */
function averageOutput(outputs: readonly Float64Array[], picks: readonly number[]): Float64Array {
  const average = new Float64Array(outputs[0]?.length ?? 0);
  const totalPicks = sumOf(picks);
  outputs.forEach((output, c) => {
    const weight = picks[c]! / totalPicks;
    if (weight > 0) for (let i = 0; i < average.length; i++) average[i]! += weight * output[i]!;
  });
  return average;
}

/**
 * Autopilot's ensembling mode as trials: trial k is the weighted ensemble of the candidates
 * created up to the k-th (each trial adds a model and meta parameter setting and stacks what the
 * pool holds then), a single member when one candidate dominates. A trial before any candidate
 * completed ends as its last candidate did.
 */
export function trialEnsembles(
  candidates: readonly CandidateOutcome[],
  settings: { objective: MetricName; problemType: ProblemType; task: Task; scored: ScoredRows },
): CandidateOutcome[] {
  const byCreation = [...candidates].sort((a, b) => a.index - b.index);
  return byCreation.map((last, k) => {
    const name = `weighted-ensemble-t${k + 1}`;
    const ensemble = ensembleCandidate(byCreation.slice(0, k + 1), { ...settings, index: k, name, minMembers: 1 });
    return ensemble ?? { ...last, name, index: k, algorithm: "ensemble", params: {} };
  });
}

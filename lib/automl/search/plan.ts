import { learners } from "../learners/index.ts";
import type { Algorithm } from "../learners/types.ts";
import { createRandom, deriveSeed } from "../rng.ts";
import type { FitSpec } from "./fit-task.ts";
import { sampleParams } from "./space.ts";
import { TARGET_TRANSFORM_PARAM } from "./target-transform.ts";

export interface CandidateSpec extends FitSpec {
  /** Position in the plan, from 0; also the tie-breaker in the leaderboard. */
  index: number;
  name: string;
}

/** Each algorithm's defaults come first, as a baseline no random draw has to find. */
const BASELINES: readonly Algorithm[] = ["gbdt", "linear", "mlp"];

/**
 * How the random draws after the baselines are shared out. Boosted trees win most tabular
 * problems and have the widest space; the linear model has little to tune.
 */
const DRAW_WEIGHTS: Readonly<Record<Algorithm, number>> = { gbdt: 0.6, mlp: 0.25, linear: 0.15 };

/**
 * The candidate at `index` of a job's plan: a pure function of the job seed, the index and whether
 * the job tries a log target, so the plan never depends on how fast candidates finish or on
 * which worker ran them. A job that tries a log target (see `logTargetEligible`) follows the
 * baselines with the same defaults on log(target), and draws the transform for half its random
 * candidates.
 */
export function planCandidate(index: number, jobSeed: number, { logTarget = false } = {}): CandidateSpec {
  const random = createRandom(deriveSeed(jobSeed, index, 0xca4d));
  const baselines = logTarget ? [...BASELINES, ...BASELINES] : BASELINES;
  const baseline = baselines[index];
  const algorithm = baseline ?? drawAlgorithm(random.next());
  const learner = learners[algorithm];
  const onLog = logTarget && (baseline ? index >= BASELINES.length : random.next() < 0.5);
  const params = {
    ...learner.defaults,
    ...(!baseline && sampleParams(learner.searchSpace, random)),
    ...(onLog && { [TARGET_TRANSFORM_PARAM]: "log" }),
  };
  return { index, name: `${algorithm}-${String(index + 1).padStart(3, "0")}`, algorithm, params, seed: deriveSeed(jobSeed, index) };
}

function drawAlgorithm(u: number): Algorithm {
  let cumulative = 0;
  for (const [algorithm, weight] of Object.entries(DRAW_WEIGHTS) as [Algorithm, number][]) {
    cumulative += weight;
    if (u < cumulative) return algorithm;
  }
  return "gbdt";
}

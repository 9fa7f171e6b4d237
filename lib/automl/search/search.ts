import type { Task } from "../learners/types.ts";
import { computeAllMetrics, computeMetric, isBetter, type MetricName } from "../metrics.ts";
import type { ProblemType } from "../problem.ts";
import type { CandidateOutcome } from "./candidates.ts";
import { learners } from "../learners/index.ts";
import type { FitResult, FitSpec } from "./fit-task.ts";
import { planCandidate, type CandidateSpec } from "./plan.ts";
import { FitInterrupted, type WorkerPool } from "./pool.ts";
import { assembleOutput, type ScoredRows } from "./scored-rows.ts";

export type SearchEnd = "MaxCandidatesReached" | "MaxAutoMLJobRuntimeReached" | "Stopped";

export interface SearchSettings {
  pool: WorkerPool;
  problemType: ProblemType;
  task: Task;
  objective: MetricName;
  scored: ScoredRows;
  rounds: number;
  seed: number;
  maxCandidates: number;
  /** Training time allowed to one candidate, shared between its validation rounds. */
  perCandidateMs?: number;
  /** Date.now() milliseconds after which no fit starts and running fits wrap up. */
  deadline?: number;
  signal?: AbortSignal;
  onCandidate(outcome: CandidateOutcome): void;
}

export interface SearchOutcome {
  /** Every candidate that started, in plan order. */
  candidates: CandidateOutcome[];
  end: SearchEnd;
}

/** A fit that ignores its deadline is cut off at twice its share of time plus this grace. */
const HARD_LIMIT_GRACE_MS = 5_000;
/** The first candidates, each algorithm's defaults, are always validated in full. */
const BASELINE_COUNT = 3;

interface CandidateProgress {
  spec: CandidateSpec;
  results: FitResult[];
  dispatched: number;
  finished: number;
  failure?: string;
  /** The objective on the first validation round's rows, once that round has trained. */
  firstRound?: number;
  verdict?: "continue" | "stop";
}

/**
 * Trains the planned candidates on the validation rounds, one fit per worker at a time.
 *
 * Successive halving over rounds: every candidate trains on the first round; it goes on to the
 * other rounds only if that first score ranks in the better half of the first scores of all
 * candidates planned up to it (baselines always go on). Each verdict waits for the first
 * rounds of the earlier candidates, so verdicts, like results, depend only on the plan and the
 * data, never on which worker ran what when.
 */
export async function runSearch(settings: SearchSettings): Promise<SearchOutcome> {
  const { pool, rounds, maxCandidates, signal } = settings;
  const progress: CandidateProgress[] = [];
  const outcomes = new Map<number, CandidateOutcome>();
  const firstRoundY = Float64Array.from(settings.scored.positionsByRound[0]!, (position) => settings.scored.y[position]!);
  let decided = 0;
  let inFlight = 0;
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    for (const resume of waiting) resume();
    waiting = [];
  };
  let end: SearchEnd = "MaxCandidatesReached";

  const stopReason = (): SearchEnd | undefined => {
    if (signal?.aborted) return "Stopped";
    if (settings.deadline !== undefined && Date.now() >= settings.deadline) return "MaxAutoMLJobRuntimeReached";
    return undefined;
  };

  const takeFit = (): { candidate: CandidateProgress; round: number } | undefined => {
    const continuing = progress.find((candidate) => candidate.verdict === "continue" && candidate.failure === undefined && candidate.dispatched < rounds);
    if (continuing) return { candidate: continuing, round: continuing.dispatched++ };
    if (progress.length === maxCandidates) return undefined;
    const candidate: CandidateProgress = { spec: planCandidate(progress.length, settings.seed), results: [], dispatched: 1, finished: 0 };
    progress.push(candidate);
    return { candidate, round: 0 };
  };

  /** Gives verdicts in plan order, as far as the first rounds known allow. */
  const decide = () => {
    for (; decided < progress.length; decided++) {
      const candidate = progress[decided]!;
      if (candidate.failure !== undefined) continue;
      if (candidate.firstRound === undefined) return;
      candidate.verdict = decided < BASELINE_COUNT || rounds === 1 || ranksInBetterHalf(settings.objective, progress.slice(0, decided + 1).map((c) => c.firstRound)) ? "continue" : "stop";
      if (candidate.verdict === "stop") {
        const outcome = stoppedEarly(settings, candidate);
        outcomes.set(candidate.spec.index, outcome);
        settings.onCandidate(outcome);
      }
    }
  };

  const runFit = async (candidate: CandidateProgress, round: number): Promise<void> => {
    const { spec } = candidate;
    const now = Date.now();
    const share = settings.perCandidateMs === undefined ? Infinity : settings.perCandidateMs / rounds;
    const deadline = Math.min(now + share, settings.deadline ?? Infinity);
    const hardLimitMs = Number.isFinite(deadline) ? 2 * (deadline - now) + HARD_LIMIT_GRACE_MS : undefined;
    try {
      const request = { algorithm: spec.algorithm, params: spec.params, seed: spec.seed, round, ...(Number.isFinite(deadline) && { deadline }) };
      const result = await pool.run(request, hardLimitMs);
      candidate.results[round] = result;
      if (round === 0) candidate.firstRound = computeMetric(settings.objective, firstRoundY, result.output, settings.task);
      if (++candidate.finished === rounds) {
        const outcome = completed(settings, candidate);
        outcomes.set(spec.index, outcome);
        settings.onCandidate(outcome);
      }
    } catch (error) {
      // A fit cut short by a stop leaves the candidate Stopped; any other error fails it, once.
      if ((error instanceof FitInterrupted && signal?.aborted) || candidate.failure !== undefined) return;
      candidate.failure = error instanceof Error ? error.message : String(error);
      settings.onCandidate(unfinished(candidate));
    } finally {
      decide();
    }
  };

  const work = async () => {
    for (;;) {
      const stop = stopReason();
      if (stop) {
        end = stop;
        return;
      }
      const fit = takeFit();
      if (fit) {
        inFlight++;
        await runFit(fit.candidate, fit.round);
        inFlight--;
        wakeAll();
      } else if (inFlight > 0) {
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        return;
      }
    }
  };

  const onAbort = () => {
    void pool.close();
    wakeAll();
  };
  signal?.addEventListener("abort", onAbort);
  try {
    await Promise.all(Array.from({ length: pool.size }, work));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  const candidates = progress.map((candidate) => outcomes.get(candidate.spec.index) ?? unfinished(candidate));
  return { candidates, end };
}

/**
 * Whether the last of these first-round scores ranks in the better half of those known
 * (undefined: a candidate that failed); ties go to the earlier candidate.
 */
export function ranksInBetterHalf(objective: MetricName, firstRounds: readonly (number | undefined)[]): boolean {
  const last = firstRounds.at(-1);
  if (last === undefined) return false;
  const earlier = firstRounds.slice(0, -1).flatMap((score) => (score === undefined ? [] : [score]));
  const ahead = earlier.filter((score) => !isBetter(objective, last, score)).length;
  return ahead < Math.ceil((earlier.length + 1) / 2);
}

function completed(settings: SearchSettings, candidate: CandidateProgress): CandidateOutcome {
  const width = settings.task.kind === "multiclass" ? settings.task.classes : 1;
  const output = assembleOutput(settings.scored, candidate.results.map((result) => result.output), width);
  const metrics = computeAllMetrics(settings.problemType, settings.scored.y, output, settings.task);
  return {
    ...describe(candidate.spec),
    refits: [refitSpec(candidate.spec, candidate.results)],
    status: "Completed",
    output,
    metrics,
    objective: metrics[settings.objective]!,
    predictor: { kind: "average", members: candidate.results.map((result) => result.predictor) },
    fitSeconds: candidate.results.reduce((total, result) => total + result.fitSeconds, 0),
  };
}

function stoppedEarly(settings: SearchSettings, candidate: CandidateProgress): CandidateOutcome {
  const score = candidate.firstRound!.toPrecision(4);
  return {
    ...unfinished(candidate),
    stoppedEarly: true,
    failureReason: `stopped early: its first validation round (${settings.objective} ${score}) ranked in the worse half of the candidates so far`,
  };
}

function unfinished(candidate: CandidateProgress): CandidateOutcome {
  const fitSeconds = candidate.results.reduce((total, result) => total + (result?.fitSeconds ?? 0), 0);
  const base = { ...describe(candidate.spec), metrics: {}, objective: Number.NaN, fitSeconds };
  if (candidate.failure !== undefined) return { ...base, status: "Failed", failureReason: candidate.failure };
  return { ...base, status: "Stopped", failureReason: "the job stopped before every validation round of this candidate had trained" };
}

function describe(spec: CandidateSpec): Pick<CandidateOutcome, "name" | "index" | "algorithm" | "params" | "refits"> {
  return { name: spec.name, index: spec.index, algorithm: spec.algorithm, params: spec.params, refits: [] };
}

/** The refit trains on every row without early stopping, for as many iterations as the rounds kept on average. */
function refitSpec(spec: CandidateSpec, results: readonly FitResult[]): FitSpec {
  const { algorithm, params, seed } = spec;
  const iterationsParam = learners[algorithm].iterationsParam;
  const kept = results.flatMap((result) => (result.iterations === undefined ? [] : [result.iterations]));
  if (iterationsParam === undefined || kept.length === 0) return { algorithm, params, seed };
  const average = Math.max(1, Math.round(kept.reduce((total, iterations) => total + iterations, 0) / kept.length));
  return { algorithm, params: { ...params, [iterationsParam]: average }, seed };
}

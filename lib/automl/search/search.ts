import type { Task } from "../learners/types.ts";
import { computeAllMetrics, type MetricName } from "../metrics.ts";
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

interface CandidateProgress {
  spec: CandidateSpec;
  results: FitResult[];
  finished: number;
  failure?: string;
}

/**
 * Trains the planned candidates on every validation round, a round per worker at a time, in plan
 * order. Results depend only on the plan and the data, never on which worker ran what when.
 */
export async function runSearch(settings: SearchSettings): Promise<SearchOutcome> {
  const { pool, rounds, maxCandidates, signal } = settings;
  const progress: CandidateProgress[] = [];
  const outcomes = new Map<number, CandidateOutcome>();
  let nextCandidate = 0;
  let nextRound = 0;
  let end: SearchEnd = "MaxCandidatesReached";

  const stopReason = (): SearchEnd | undefined => {
    if (signal?.aborted) return "Stopped";
    if (settings.deadline !== undefined && Date.now() >= settings.deadline) return "MaxAutoMLJobRuntimeReached";
    return undefined;
  };

  const takeFit = (): { candidate: CandidateProgress; round: number } | undefined => {
    const stop = stopReason();
    if (stop) {
      end = stop;
      return undefined;
    }
    while (nextCandidate < maxCandidates) {
      const candidate = (progress[nextCandidate] ??= { spec: planCandidate(nextCandidate, settings.seed), results: [], finished: 0 });
      if (candidate.failure === undefined && nextRound < rounds) return { candidate, round: nextRound++ };
      nextCandidate++;
      nextRound = 0;
    }
    return undefined;
  };

  const runFit = async (candidate: CandidateProgress, round: number): Promise<void> => {
    const { spec } = candidate;
    const now = Date.now();
    const share = settings.perCandidateMs === undefined ? Infinity : settings.perCandidateMs / rounds;
    const deadline = Math.min(now + share, settings.deadline ?? Infinity);
    const hardLimitMs = Number.isFinite(deadline) ? 2 * (deadline - now) + HARD_LIMIT_GRACE_MS : undefined;
    try {
      const request = { algorithm: spec.algorithm, params: spec.params, seed: spec.seed, round, ...(Number.isFinite(deadline) && { deadline }) };
      candidate.results[round] = await pool.run(request, hardLimitMs);
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
    }
  };

  const onAbort = () => void pool.close();
  signal?.addEventListener("abort", onAbort);
  try {
    await Promise.all(
      Array.from({ length: pool.size }, async () => {
        for (let fit = takeFit(); fit; fit = takeFit()) await runFit(fit.candidate, fit.round);
      }),
    );
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  const candidates = progress.map((candidate) => outcomes.get(candidate.spec.index) ?? unfinished(candidate));
  return { candidates, end };
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

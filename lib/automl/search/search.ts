import type { Task } from "../learners/types.ts";
import { isBetter, type MetricName } from "../metrics.ts";
import type { PredictorSpec } from "../predictor.ts";
import type { ProblemType } from "../problem.ts";
import type { CandidateOutcome } from "./candidates.ts";
import { learners } from "../learners/index.ts";
import { fitPredictor, type FitResult, type FitSpec } from "./fit-task.ts";
import { planCandidate, type CandidateSpec } from "./plan.ts";
import { FitInterrupted, type WorkerPool } from "./pool.ts";
import { finishOutput } from "./finish.ts";
import { behindMap, type RefitPlan } from "./refit-plan.ts";
import { assembleOutput, type ScoredRows } from "./scored-rows.ts";
import { objectiveAtBestThreshold } from "./threshold.ts";

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
  /** Whether the plan tries log(target) too (see `logTargetEligible`). */
  logTarget: boolean;
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
/**
 * Hyperband's reduction factor η: one candidate in η goes on to the costly rounds. With η = 2,
 * which draws go on varies so much with the data (2 of 7 on 5,000 churn rows, 4 of 7 on
 * 25,000) that the job's time grew faster than its rows; the per-fit times do not.
 */
const PROMOTION_FACTOR = 3;

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
 * other rounds only if that first score ranks in the best third of the first scores of all
 * candidates planned up to it (baselines always go on). Each verdict waits for the first
 * rounds of the earlier candidates, so verdicts, like results, depend only on the plan and the
 * data, never on which worker ran what when.
 */
export async function runSearch(settings: SearchSettings): Promise<SearchOutcome> {
  return new Search(settings).run();
}

class Search {
  private readonly candidates: CandidateProgress[] = [];
  private readonly outcomes = new Map<number, CandidateOutcome>();
  private readonly firstRoundY: Float64Array;
  /** Candidates before this index have their verdict. */
  private decided = 0;
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private end: SearchEnd = "MaxCandidatesReached";

  constructor(private readonly settings: SearchSettings) {
    const { scored } = settings;
    this.firstRoundY = Float64Array.from(scored.positionsByRound[0]!, (position) => scored.y[position]!);
  }

  async run(): Promise<SearchOutcome> {
    const { pool, signal } = this.settings;
    const onAbort = () => {
      void pool.close();
      this.wakeIdle();
    };
    signal?.addEventListener("abort", onAbort);
    try {
      await Promise.all(Array.from({ length: pool.size }, () => this.work()));
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    return { candidates: this.candidates.map((candidate) => this.outcomes.get(candidate.spec.index) ?? unfinished(candidate)), end: this.end };
  }

  /** One worker's loop: take the next fit, or wait while others may make some available. */
  private async work(): Promise<void> {
    for (;;) {
      const stop = this.stopReason();
      if (stop) {
        this.end = stop;
        return;
      }
      const fit = this.takeFit();
      if (fit) {
        this.inFlight++;
        await this.runFit(fit.candidate, fit.round);
        this.inFlight--;
        this.wakeIdle();
      } else if (this.inFlight > 0) {
        await new Promise<void>((resume) => this.idle.push(resume));
      } else {
        return;
      }
    }
  }

  private wakeIdle(): void {
    for (const resume of this.idle.splice(0)) resume();
  }

  private stopReason(): SearchEnd | undefined {
    if (this.settings.signal?.aborted) return "Stopped";
    if (this.settings.deadline !== undefined && Date.now() >= this.settings.deadline) return "MaxAutoMLJobRuntimeReached";
    return undefined;
  }

  /** The next fit: a round of the earliest candidate allowed to go on, else a new candidate's first round. */
  private takeFit(): { candidate: CandidateProgress; round: number } | undefined {
    const { rounds, maxCandidates, seed, logTarget } = this.settings;
    const continuing = this.candidates.find((c) => c.verdict === "continue" && c.failure === undefined && c.dispatched < rounds);
    if (continuing) return { candidate: continuing, round: continuing.dispatched++ };
    if (this.candidates.length === maxCandidates) return undefined;
    const candidate: CandidateProgress = { spec: planCandidate(this.candidates.length, seed, { logTarget }), results: [], dispatched: 1, finished: 0 };
    this.candidates.push(candidate);
    return { candidate, round: 0 };
  }

  private async runFit(candidate: CandidateProgress, round: number): Promise<void> {
    const { pool, rounds, perCandidateMs, objective, task, signal } = this.settings;
    const { spec } = candidate;
    const now = Date.now();
    const deadline = Math.min(perCandidateMs === undefined ? Infinity : now + perCandidateMs / rounds, this.settings.deadline ?? Infinity);
    const hardLimitMs = Number.isFinite(deadline) ? 2 * (deadline - now) + HARD_LIMIT_GRACE_MS : undefined;
    try {
      const request = { algorithm: spec.algorithm, params: spec.params, seed: spec.seed, round, ...(Number.isFinite(deadline) && { deadline }) };
      const result = await pool.run(request, hardLimitMs);
      candidate.results[round] = result;
      if (round === 0) candidate.firstRound = objectiveAtBestThreshold(objective, this.firstRoundY, result.output, task);
      if (++candidate.finished === rounds) this.settle(candidate, completed(this.settings, candidate));
    } catch (error) {
      // A fit cut short by a stop leaves the candidate Stopped; any other error fails it, once.
      if ((error instanceof FitInterrupted && signal?.aborted) || candidate.failure !== undefined) return;
      candidate.failure = error instanceof Error ? error.message : String(error);
      this.settings.onCandidate(unfinished(candidate));
    } finally {
      this.decide();
    }
  }

  /** Gives verdicts in plan order, as far as the first rounds known allow. */
  private decide(): void {
    const { objective, rounds } = this.settings;
    for (; this.decided < this.candidates.length; this.decided++) {
      const candidate = this.candidates[this.decided]!;
      if (candidate.failure !== undefined) continue;
      if (candidate.firstRound === undefined) return;
      const firstRounds = this.candidates.slice(0, this.decided + 1).map((c) => c.firstRound);
      const goesOn = this.decided < BASELINE_COUNT || rounds === 1 || ranksInBestShare(objective, firstRounds);
      candidate.verdict = goesOn ? "continue" : "stop";
      if (!goesOn) this.settle(candidate, stoppedEarly(this.settings, candidate));
    }
  }

  private settle(candidate: CandidateProgress, outcome: CandidateOutcome): void {
    this.outcomes.set(candidate.spec.index, outcome);
    this.settings.onCandidate(outcome);
  }
}

/**
 * Whether the last of these first-round scores ranks in the best 1 / PROMOTION_FACTOR of those
 * known (undefined: a candidate that failed), rounding up; ties go to the earlier candidate.
 */
export function ranksInBestShare(objective: MetricName, firstRounds: readonly (number | undefined)[]): boolean {
  const last = firstRounds.at(-1);
  if (last === undefined) return false;
  const earlier = firstRounds.slice(0, -1).flatMap((score) => (score === undefined ? [] : [score]));
  const ahead = earlier.filter((score) => !isBetter(objective, last, score)).length;
  return ahead < Math.ceil((earlier.length + 1) / PROMOTION_FACTOR);
}

function completed(settings: SearchSettings, candidate: CandidateProgress): CandidateOutcome {
  const width = settings.task.kind === "multiclass" ? settings.task.classes : 1;
  const finished = finishOutput(assembleOutput(settings.scored, candidate.results.map((result) => result.output), width), settings);
  return {
    ...describe(candidate.spec),
    ...finished,
    refit: behindMap<RefitPlan>({ kind: "fit", spec: refitSpec(candidate.spec, candidate.results) }, finished.calibration),
    status: "Completed",
    predictor: behindMap<PredictorSpec>({ kind: "average", members: candidate.results.map(fitPredictor) }, finished.calibration),
    fitSeconds: candidate.results.reduce((total, result) => total + result.fitSeconds, 0),
  };
}

function stoppedEarly(settings: SearchSettings, candidate: CandidateProgress): CandidateOutcome {
  const score = candidate.firstRound!.toPrecision(4);
  return {
    ...unfinished(candidate),
    stoppedEarly: true,
    failureReason: `stopped early: its first validation round (${settings.objective} ${score}) ranked outside the best third of the candidates so far`,
  };
}

function unfinished(candidate: CandidateProgress): CandidateOutcome {
  const fitSeconds = candidate.results.reduce((total, result) => total + (result?.fitSeconds ?? 0), 0);
  const base = { ...describe(candidate.spec), metrics: {}, objective: Number.NaN, fitSeconds };
  if (candidate.failure !== undefined) return { ...base, status: "Failed", failureReason: candidate.failure };
  return { ...base, status: "Stopped", failureReason: "the job stopped before every validation round of this candidate had trained" };
}

function describe(spec: CandidateSpec): Pick<CandidateOutcome, "name" | "index" | "algorithm" | "params"> {
  return { name: spec.name, index: spec.index, algorithm: spec.algorithm, params: spec.params };
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

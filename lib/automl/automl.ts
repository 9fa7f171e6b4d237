import { availableParallelism } from "node:os";
import type { DataAnalysis } from "./analysis/index.ts";
import type { AutoMLArtifact } from "./artifact.ts";
import { analyseJobData, prepareJobData } from "./job-data.ts";
import { metricDirection, type MetricName } from "./metrics.ts";
import { checkPositive, checkSeed, DEFAULT_MAX_CANDIDATES } from "./options.ts";
import type { PredictorSpec } from "./predictor.ts";
import type { ProblemType } from "./problem.ts";
import { ProgressReporter, type ProgressListeners } from "./progress.ts";
import { permutationImportance, type ColumnImportance } from "./permutation-importance.ts";
import { buildArtifact, leaderboardEntry, type LeaderboardEntry } from "./results.ts";
import type { CandidateOutcome } from "./search/candidates.ts";
import { ensembleCandidate, rankCandidates, trialEnsembles } from "./search/ensemble.ts";
import { AutoMLInputError } from "./errors.ts";
import { WorkerPool } from "./search/pool.ts";
import { fitPredictor, type FitSpec } from "./search/fit-task.ts";
import { runRefitPlan } from "./search/refit-plan.ts";
import { runSearch, type SearchEnd } from "./search/search.ts";
import { logTargetEligible } from "./search/target-transform.ts";
import type { InputRules, Table } from "./table.ts";

export interface AutoMLOptions extends ProgressListeners {
  /**
   * The training data as CSV with a header line (text, or a file's bytes: their encoding is then
   * detected), or already split into a table.
   */
  csv?: string | Uint8Array;
  table?: Table;
  target: string;
  /** The fewest rows with a target value to learn from (at least 10); default 500, Autopilot's minimum. */
  minRows?: number;
  /**
   * "engine" (the default): CSV delimiter and text encoding detected, cross-validation folds fewer
   * than five when a class has fewer rows. "autopilot": only what Autopilot takes (UTF-8,
   * comma-separated, five rows of every class), refused in its terms.
   */
  inputRules?: InputRules;
  /** The data's analysis once done, before training: column types and every decision taken reading the data. */
  onAnalysis?(analysis: DataAnalysis): void;
  /** Inferred from the target when not given. */
  problemType?: ProblemType | string;
  /**
   * The positive class of a binary problem (the class whose F1, precision and recall are
   * measured); by default the minority class, as Autopilot takes it (see `withPositiveClass`).
   */
  positiveClass?: string;
  /** Defaults to F1 (binary), Accuracy (multiclass), MSE (regression). */
  objective?: MetricName | string;
  /** Candidates to train (with `ensembling: "final"`, the ensemble comes on top); default 10. */
  maxCandidates?: number;
  /**
   * What the leaderboard lists: "final" (the default) the candidates and one ensemble of them;
   * "trials" Autopilot's ENSEMBLING mode, one weighted ensemble per trial (trial k stacks the
   * first k candidates); "none" the candidates alone, as Autopilot's HYPERPARAMETER_TUNING mode.
   */
  ensembling?: Ensembling;
  maxRuntimePerCandidateSeconds?: number;
  maxRuntimeSeconds?: number;
  seed?: number;
  /** Worker threads; default one per core. Results do not depend on it. */
  workers?: number;
  signal?: AbortSignal;
}

export const ENSEMBLING_CHOICES = ["final", "trials", "none"] as const;
export type Ensembling = (typeof ENSEMBLING_CHOICES)[number];

export interface AutoMLResult {
  analysis: DataAnalysis;
  problemType: ProblemType;
  objective: { metric: MetricName; direction: "maximize" | "minimize" };
  /** How candidates were validated; `y` holds the scored rows' targets (class indices, or values for regression). */
  validation: { kind: "cross-validation" | "holdout"; rounds: number; scoredRows: number; y: Float64Array };
  /** Best first. */
  leaderboard: LeaderboardEntry[];
  best: {
    name: string;
    /** Refitted on every row unless the job was stopped or out of time first. */
    artifact: AutoMLArtifact;
    /** Permutation importance per input column, largest first. */
    featureImportance: ColumnImportance[];
  };
  /** Every completed candidate as validated (its fold models averaged), by name. */
  candidateArtifacts: Record<string, AutoMLArtifact>;
  /**
   * Every completed candidate's output on the scored rows, in the order of `validation.y` (out of
   * fold under cross-validation), by name: see `TrainedModel.predict` for its layout.
   */
  validationOutputs: Record<string, Float64Array>;
  end: SearchEnd;
  seconds: number;
}

/** Share of a job's time budget the search may use; the rest is kept for refitting the best. */
const SEARCH_SHARE_OF_RUNTIME = 0.85;

/** Analyses the data, searches candidates with validation, ranks them, refits the best. */
export async function runAutoML(options: AutoMLOptions): Promise<AutoMLResult> {
  const started = Date.now();
  const maxCandidates = checkPositive("maxCandidates", options.maxCandidates, { integer: true }) ?? DEFAULT_MAX_CANDIDATES;
  const perCandidateSeconds = checkPositive("maxRuntimePerCandidateSeconds", options.maxRuntimePerCandidateSeconds, { integer: false });
  const runtimeSeconds = checkPositive("maxRuntimeSeconds", options.maxRuntimeSeconds, { integer: false });
  const workers = checkPositive("workers", options.workers, { integer: true });
  const seed = checkSeed(options.seed);
  const jobDeadline = runtimeSeconds === undefined ? undefined : started + runtimeSeconds * 1000;
  const perCandidateMs = perCandidateSeconds === undefined ? undefined : perCandidateSeconds * 1000;
  const progress = new ProgressReporter(maxCandidates, options);

  const job = readJobData(options, seed, progress);
  const { analysis, objective, context, scored } = job;
  const { problemType } = analysis.target;
  const rounds = context.split.rounds;
  const pool = new WorkerPool(workers ?? Math.min(availableParallelism(), maxCandidates * rounds), context);
  try {
    progress.enter("ModelTuning");
    const search = await runSearch({
      pool,
      problemType,
      task: context.task,
      objective,
      scored,
      rounds,
      seed,
      maxCandidates,
      logTarget: logTargetEligible(context.task, context.y),
      ...(perCandidateMs !== undefined && { perCandidateMs }),
      ...(runtimeSeconds !== undefined && { deadline: started + runtimeSeconds * 1000 * SEARCH_SHARE_OF_RUNTIME }),
      ...(options.signal && { signal: options.signal }),
      onCandidate: (outcome) => progress.candidateFinished(outcome, objective),
    });
    const ranked = rankCandidates(listedCandidates(search.candidates, options.ensembling ?? "final", { objective, problemType, task: context.task, scored }), objective);
    const winner = ranked[0];
    if (winner?.status !== "Completed") throw noCandidateError(search.end, search.candidates);
    progress.settleBest(winner, objective);
    const candidateArtifacts = Object.fromEntries(
      ranked.filter((candidate) => candidate.status === "Completed").map((candidate) => [candidate.name, buildArtifact(job, candidate, candidate.predictor!, false)]),
    );

    progress.enter("Refitting");
    const refitted = await refit(pool, winner, { end: search.end, jobDeadline, perCandidateMs }, options.signal);
    await pool.close(); // its threads' matrices need not outlive the fits
    const bestArtifact = refitted ? buildArtifact(job, winner, refitted, true) : candidateArtifacts[winner.name]!;
    const result: AutoMLResult = {
      analysis,
      problemType,
      objective: { metric: objective, direction: metricDirection(objective) },
      validation: { kind: rounds > 1 ? "cross-validation" : "holdout", rounds, scoredRows: scored.rows.length, y: scored.y },
      leaderboard: ranked.map((candidate, i) => leaderboardEntry(candidate, i + 1)),
      best: { name: winner.name, artifact: bestArtifact, featureImportance: permutationImportance(bestArtifact.predictor, context.data, context.y, context.task, seed) },
      candidateArtifacts,
      validationOutputs: Object.fromEntries(ranked.filter((candidate) => candidate.status === "Completed").map((candidate) => [candidate.name, candidate.output!])),
      end: options.signal?.aborted ? "Stopped" : search.end,
      seconds: (Date.now() - started) / 1000,
    };
    progress.enter("Completed");
    return result;
  } finally {
    await pool.close();
  }
}

/**
 * The analysed and encoded data. The rows as text stay in this function: once encoded into typed
 * arrays they can go, rather than outlive the search (on 50,000 rows, a hundred MB or more of strings).
 */
function readJobData(options: AutoMLOptions, seed: number, progress: ProgressReporter): ReturnType<typeof prepareJobData> {
  progress.enter("AnalyzingData");
  const analysed = analyseJobData(options);
  options.onAnalysis?.(analysed.analysis);
  progress.enter("FeatureEngineering");
  return prepareJobData(analysed, seed);
}

function listedCandidates(candidates: CandidateOutcome[], ensembling: Ensembling, settings: Parameters<typeof trialEnsembles>[1]): CandidateOutcome[] {
  if (!ENSEMBLING_CHOICES.includes(ensembling)) throw new AutoMLInputError(`ensembling must be one of ${ENSEMBLING_CHOICES.join(", ")}, got "${ensembling}".`);
  if (ensembling === "none") return candidates;
  if (ensembling === "trials") return trialEnsembles(candidates, settings);
  const ensemble = ensembleCandidate(candidates, { ...settings, index: candidates.length });
  return ensemble ? [...candidates, ensemble] : candidates;
}

/**
 * The best candidate trained on every row (each member, for an ensemble), within the time left.
 * Undefined when the job was stopped or is out of time: the validated model then stands in.
 */
async function refit(
  pool: WorkerPool,
  candidate: CandidateOutcome,
  budget: { end: SearchEnd; jobDeadline: number | undefined; perCandidateMs: number | undefined },
  signal: AbortSignal | undefined,
): Promise<PredictorSpec | undefined> {
  const now = Date.now();
  if (budget.end === "Stopped" || signal?.aborted || (budget.jobDeadline !== undefined && now >= budget.jobDeadline)) return undefined;
  const deadline = Math.min(budget.perCandidateMs === undefined ? Infinity : now + budget.perCandidateMs, budget.jobDeadline ?? Infinity);
  const onAbort = () => void pool.close();
  signal?.addEventListener("abort", onAbort);
  try {
    const fit = async (spec: FitSpec) => fitPredictor(await pool.run({ ...spec, round: null, ...(Number.isFinite(deadline) && { deadline }) }));
    return await runRefitPlan(candidate.refit!, fit);
  } catch (error) {
    if (signal?.aborted) return undefined;
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function noCandidateError(end: SearchEnd, candidates: readonly CandidateOutcome[]): Error {
  const failure = candidates.find((candidate) => candidate.status === "Failed")?.failureReason;
  if (failure !== undefined) return new Error(`No candidate completed; the first failure: ${failure}`);
  if (end === "Stopped") return new Error("The job was stopped before any candidate completed.");
  return new Error("No candidate completed within MaxAutoMLJobRuntimeInSeconds; raise the runtime budget.");
}

import { availableParallelism } from "node:os";
import { analyseTable, type DataAnalysis } from "./analysis/index.ts";
import { isMissing } from "./analysis/values.ts";
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, ENGINE_VERSION, type AutoMLArtifact } from "./artifact.ts";
import { encodeFeatures, featureColumns } from "./encoding.ts";
import { AutoMLInputError } from "./errors.ts";
import type { Params } from "./learners/types.ts";
import { isBetter, metricDirection, type MetricName } from "./metrics.ts";
import { checkPositive, checkProblemType, checkSeed, DEFAULT_MAX_CANDIDATES, resolveObjective } from "./options.ts";
import { loadPredictor, type PredictorSpec } from "./predictor.ts";
import { taskFor, type ProblemType } from "./problem.ts";
import type { CandidateOutcome } from "./search/candidates.ts";
import { ensembleCandidate, rankCandidates } from "./search/ensemble.ts";
import type { FitContext } from "./search/fit-task.ts";
import { WorkerPool } from "./search/pool.ts";
import { scoredRows } from "./search/scored-rows.ts";
import { runSearch, type SearchEnd } from "./search/search.ts";
import { makeValidationSplit, minRowsPerClass, type ValidationSplit } from "./search/validation.ts";
import { tableFromCsv, type Table } from "./table.ts";

export interface AutoMLOptions {
  /** The training data as CSV text with a header line, or already split into a table. */
  csv?: string;
  table?: Table;
  target: string;
  /** Inferred from the target when not given. */
  problemType?: ProblemType | string;
  /** Defaults to F1 (binary), Accuracy (multiclass), MSE (regression). */
  objective?: MetricName | string;
  /** Candidates to train (the ensemble comes on top); default 10. */
  maxCandidates?: number;
  maxRuntimePerCandidateSeconds?: number;
  maxRuntimeSeconds?: number;
  seed?: number;
  /** Worker threads; default one per core. Results do not depend on it. */
  workers?: number;
  onProgress?(progress: AutoMLProgress): void;
  /** Each candidate as it finishes (Completed, stopped early or Failed); `rank` is among those finished so far. */
  onCandidate?(entry: LeaderboardEntry): void;
  signal?: AbortSignal;
}

export type AutoMLStage = "AnalyzingData" | "FeatureEngineering" | "ModelTuning" | "Refitting" | "Completed";

export interface AutoMLProgress {
  stage: AutoMLStage;
  /** Validated on every round. */
  candidatesCompleted: number;
  /** Stopped by successive halving after their first validation round. */
  candidatesStoppedEarly: number;
  candidatesFailed: number;
  maxCandidates: number;
  best?: { name: string; metric: MetricName; value: number };
}

export interface LeaderboardEntry {
  rank: number;
  name: string;
  algorithm: CandidateOutcome["algorithm"];
  hyperparameters: Params;
  status: CandidateOutcome["status"];
  /** Stopped by successive halving after its first validation round (status Stopped). */
  stoppedEarly: boolean;
  /** Why a candidate is not Completed (Autopilot's FailureReason). */
  failureReason?: string;
  /** The objective on validation rows (out-of-fold under cross-validation); null unless Completed. */
  objective: number | null;
  /** Every metric that applies to the problem type, on the same rows. */
  metrics: CandidateOutcome["metrics"];
  fitSeconds: number;
}

export interface AutoMLResult {
  analysis: DataAnalysis;
  problemType: ProblemType;
  objective: { metric: MetricName; direction: "maximize" | "minimize" };
  validation: { kind: "cross-validation" | "holdout"; rounds: number; scoredRows: number };
  /** Best first. */
  leaderboard: LeaderboardEntry[];
  best: {
    name: string;
    /** Refitted on every row unless the job was stopped or out of time first. */
    artifact: AutoMLArtifact;
    /** Per input column, largest first. */
    featureImportance: { column: string; importance: number }[];
  };
  /** Every completed candidate as validated (its fold models averaged), by name. */
  candidateArtifacts: Record<string, AutoMLArtifact>;
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
  let completedCount = 0;
  let stoppedEarlyCount = 0;
  let failedCount = 0;
  let best: AutoMLProgress["best"];
  const finished: CandidateOutcome[] = [];
  const report = (stage: AutoMLStage) =>
    options.onProgress?.({
      stage,
      candidatesCompleted: completedCount,
      candidatesStoppedEarly: stoppedEarlyCount,
      candidatesFailed: failedCount,
      maxCandidates,
      ...(best && { best }),
    });

  const requestedProblemType = checkProblemType(options.problemType);
  report("AnalyzingData");
  const table = readTable(options);
  const analysis = analyseTable(table, options.target, requestedProblemType);
  const { problemType, labels } = analysis.target;
  const objective = resolveObjective(options.objective, problemType);
  checkClassSizes(analysis);

  report("FeatureEngineering");
  const targetIndex = table.header.indexOf(options.target);
  const labelled = table.rows.filter((row) => !isMissing(row[targetIndex]!));
  const features = featureColumns(analysis.columns);
  const data = encodeFeatures(labelled, features, features.map((feature) => table.header.indexOf(feature.name)));
  const y = targetValues(labelled, targetIndex, problemType, labels);
  const task = taskFor(problemType, labels.length);
  const split = makeValidationSplit(problemType === "Regression" ? null : y, labelled.length, seed);
  const scored = scoredRows(split, y);
  const context: FitContext = { data, y, split, task, seed };
  const pool = new WorkerPool(workers ?? Math.min(availableParallelism(), maxCandidates * split.rounds), context);
  try {
    report("ModelTuning");
    const search = await runSearch({
      pool,
      problemType,
      task,
      objective,
      scored,
      rounds: split.rounds,
      seed,
      maxCandidates,
      ...(perCandidateMs !== undefined && { perCandidateMs }),
      ...(jobDeadline !== undefined && { deadline: started + runtimeSeconds! * 1000 * SEARCH_SHARE_OF_RUNTIME }),
      ...(options.signal && { signal: options.signal }),
      onCandidate: (outcome) => {
        finished.push(outcome);
        options.onCandidate?.(leaderboardEntry(outcome, rankCandidates(finished, objective).indexOf(outcome) + 1));
        if (outcome.stoppedEarly) stoppedEarlyCount++;
        else if (outcome.status !== "Completed") failedCount++;
        else {
          completedCount++;
          if (!best || isBetter(objective, outcome.objective, best.value)) best = { name: outcome.name, metric: objective, value: outcome.objective };
        }
        report("ModelTuning");
      },
    });
    const ensemble = ensembleCandidate(search.candidates, { objective, problemType, task, scored, index: search.candidates.length });
    const ranked = rankCandidates(ensemble ? [...search.candidates, ensemble] : search.candidates, objective);
    const winner = ranked[0];
    if (winner?.status !== "Completed") throw noCandidateError(search.end, search.candidates);
    best = { name: winner.name, metric: objective, value: winner.objective };

    const envelope = (candidate: CandidateOutcome, predictor: PredictorSpec, refitted: boolean): AutoMLArtifact => ({
      format: ARTIFACT_FORMAT,
      formatVersion: ARTIFACT_FORMAT_VERSION,
      engineVersion: ENGINE_VERSION,
      candidate: { name: candidate.name, algorithm: candidate.algorithm, hyperparameters: candidate.params, refitted },
      problemType,
      target: options.target,
      labels,
      objective: { metric: objective, direction: metricDirection(objective), validationValue: candidate.objective },
      inputColumns: analysis.columns.map(({ name, kind, role }) => ({ name, kind, role })),
      predictor,
    });
    const candidateArtifacts = Object.fromEntries(
      ranked.filter((candidate) => candidate.status === "Completed").map((candidate) => [candidate.name, envelope(candidate, candidate.predictor!, false)]),
    );

    report("Refitting");
    const refitted = await refit(pool, winner, { end: search.end, jobDeadline, perCandidateMs });
    const bestArtifact = refitted ? envelope(winner, refitted, true) : candidateArtifacts[winner.name]!;
    const importance = loadPredictor(bestArtifact.predictor).importance();
    report("Completed");
    return {
      analysis,
      problemType,
      objective: { metric: objective, direction: metricDirection(objective) },
      validation: { kind: split.rounds > 1 ? "cross-validation" : "holdout", rounds: split.rounds, scoredRows: scored.rows.length },
      leaderboard: ranked.map((candidate, i) => leaderboardEntry(candidate, i + 1)),
      best: {
        name: winner.name,
        artifact: bestArtifact,
        featureImportance: [...importance].map(([column, value]) => ({ column, importance: value })).sort((a, b) => b.importance - a.importance),
      },
      candidateArtifacts,
      end: search.end,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await pool.close();
  }
}

function readTable(options: AutoMLOptions): Table {
  if (options.table && options.csv !== undefined) throw new AutoMLInputError("Give the training data as either csv or table, not both.");
  if (options.table) return options.table;
  if (options.csv !== undefined) return tableFromCsv(options.csv);
  throw new AutoMLInputError("No training data: give csv (CSV text with a header line) or table.");
}

function checkClassSizes(analysis: DataAnalysis): void {
  const needed = minRowsPerClass(analysis.rows);
  const scheme = needed > 2 ? `stratified ${needed}-fold cross-validation` : "a stratified holdout";
  analysis.target.classCounts.forEach((count, c) => {
    if (count < needed) {
      throw new AutoMLInputError(
        `Class "${analysis.target.labels[c]}" of target "${analysis.target.name}" has only ${count} row${count === 1 ? "" : "s"}; ` +
          `${scheme} needs at least ${needed} rows per class. Add rows of that class or remove them.`,
      );
    }
  });
}

function targetValues(rows: readonly string[][], targetIndex: number, problemType: ProblemType, labels: readonly string[]): Float64Array {
  if (problemType === "Regression") return Float64Array.from(rows, (row) => Number(row[targetIndex]!.trim()));
  const classOf = new Map(labels.map((label, index) => [label, index]));
  return Float64Array.from(rows, (row) => classOf.get(row[targetIndex]!.trim())!);
}

/**
 * The best candidate trained on every row (each member, for an ensemble), within the time left.
 * Undefined when the job was stopped or is out of time: the validated model then stands in.
 */
async function refit(
  pool: WorkerPool,
  candidate: CandidateOutcome,
  budget: { end: SearchEnd; jobDeadline: number | undefined; perCandidateMs: number | undefined },
): Promise<PredictorSpec | undefined> {
  const now = Date.now();
  if (budget.end === "Stopped" || (budget.jobDeadline !== undefined && now >= budget.jobDeadline)) return undefined;
  const deadline = Math.min(budget.perCandidateMs === undefined ? Infinity : now + budget.perCandidateMs, budget.jobDeadline ?? Infinity);
  const results = await Promise.all(candidate.refits.map((spec) => pool.run({ ...spec, round: null, ...(Number.isFinite(deadline) && { deadline }) })));
  const models = results.map((result) => result.predictor);
  return models.length === 1 ? models[0]! : { kind: "average", members: models, ...(candidate.weights && { weights: candidate.weights }) };
}

function leaderboardEntry(candidate: CandidateOutcome, rank: number): LeaderboardEntry {
  return {
    rank,
    name: candidate.name,
    algorithm: candidate.algorithm,
    hyperparameters: candidate.params,
    status: candidate.status,
    stoppedEarly: candidate.stoppedEarly === true,
    ...(candidate.failureReason !== undefined && { failureReason: candidate.failureReason }),
    objective: candidate.status === "Completed" ? candidate.objective : null,
    metrics: candidate.metrics,
    fitSeconds: candidate.fitSeconds,
  };
}

function noCandidateError(end: SearchEnd, candidates: readonly CandidateOutcome[]): Error {
  const failure = candidates.find((candidate) => candidate.failureReason !== undefined && candidate.status === "Failed")?.failureReason;
  if (failure !== undefined) return new Error(`No candidate completed; the first failure: ${failure}`);
  if (end === "Stopped") return new Error("The job was stopped before any candidate completed.");
  return new Error("No candidate completed within MaxAutoMLJobRuntimeInSeconds; raise the runtime budget.");
}

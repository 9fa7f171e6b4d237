import type { EncodedFeatures } from "../encoding.ts";
import { learners } from "../learners/index.ts";
import type { Algorithm, Dataset, Matrix, Params, Task } from "../learners/types.ts";
import type { PredictorSpec } from "../predictor.ts";
import { fitPreprocessing, transform, type Preprocessing } from "../preprocessing.ts";
import { deriveSeed } from "../rng.ts";
import { earlyStoppingSplit, roundRows, type ValidationSplit } from "./validation.ts";

/** Everything a fit needs that is the same for every candidate of a job; sent to each worker once. */
export interface FitContext {
  data: EncodedFeatures;
  /** Class index or regression value per row. */
  y: Float64Array;
  split: ValidationSplit;
  task: Task;
  seed: number;
}

/** What to train: an algorithm, all its hyperparameters, and the seed of its randomness. */
export interface FitSpec {
  algorithm: Algorithm;
  params: Params;
  seed: number;
}

export interface FitRequest extends FitSpec {
  /**
   * The validation round to train for (holding a share of its training rows back for early
   * stopping), or null to train on every row (the refit, whose iterations are given in params).
   */
  round: number | null;
  /** Date.now() milliseconds after which the learner stops adding capacity. */
  deadline?: number;
}

export interface FitResult {
  predictor: Extract<PredictorSpec, { kind: "model" }>;
  /** Output on the round's scored rows, in row order; empty for a refit. */
  output: Float64Array;
  /** Iterations the model kept after early stopping, when the learner counts them. */
  iterations?: number;
  fitSeconds: number;
}

/** Preprocessed rounds a worker keeps between fits, by round and input kind. */
export type RoundCache = Map<string, PreparedRound>;

interface PreparedRound {
  preprocessing: Preprocessing;
  fit: Dataset;
  watch: Dataset | undefined;
  test: Matrix;
}

/** Below this many training rows there are too few to spare any for early stopping. */
const MIN_ROWS_FOR_EARLY_STOPPING = 200;

/**
 * Fits one candidate for one validation round. Preprocessing is fitted on the round's training
 * rows only; it depends on the round and on scaled vs raw input, not on the candidate, so it is
 * prepared once per round and kept in `cache`.
 */
export function runFit(context: FitContext, request: FitRequest, cache: RoundCache): FitResult {
  const learner = learners[request.algorithm];
  const key = `${request.round}:${learner.needsScaledInput}`;
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = prepareRound(context, request.round, learner.needsScaledInput);
    cache.set(key, prepared);
  }
  const started = performance.now();
  const model = learner.fit(prepared.fit, context.task, request.params, {
    seed: request.seed,
    ...(prepared.watch && { validation: prepared.watch }),
    ...(request.deadline !== undefined && { deadline: request.deadline }),
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const output = prepared.test.rows > 0 ? model.predict(prepared.test) : new Float64Array(0);
  const predictor = { kind: "model" as const, preprocessing: prepared.preprocessing, model: model.toJSON() };
  return { predictor, output, fitSeconds, ...(model.iterations !== undefined && { iterations: model.iterations }) };
}

function prepareRound(context: FitContext, round: number | null, scaled: boolean): PreparedRound {
  const { train, test } = roundRows(context.split, round);
  const preprocessing = fitPreprocessing(context.data, train, scaled);
  const dataset = (rows: Int32Array): Dataset => ({ X: transform(preprocessing, context.data, rows), y: Float64Array.from(rows, (row) => context.y[row]!) });
  const testMatrix = transform(preprocessing, context.data, test);
  if (round === null || train.length < MIN_ROWS_FOR_EARLY_STOPPING) return { preprocessing, fit: dataset(train), watch: undefined, test: testMatrix };
  const { fit, watch } = earlyStoppingSplit(train, deriveSeed(context.seed, round));
  return { preprocessing, fit: dataset(fit), watch: dataset(watch), test: testMatrix };
}

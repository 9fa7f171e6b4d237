import type { EncodedFeatures } from "../encoding.ts";
import { learners } from "../learners/index.ts";
import type { Algorithm, Dataset, Params, Task, TrainedModel } from "../learners/types.ts";
import { applyOutputMap, type OutputMap } from "../output-maps.ts";
import type { PredictorSpec } from "../predictor.ts";
import { fitPreprocessing, transform, transformWidth, widestTransform, type Preprocessing } from "../preprocessing.ts";
import { deriveSeed } from "../rng.ts";
import { behindMap } from "./refit-plan.ts";
import { logTarget, splitTargetTransform } from "./target-transform.ts";
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
  /** The map back from a log target: what the model's output goes through (see `fitPredictor`). */
  targetMap?: OutputMap;
  /** Output on the round's scored rows, in row order; empty for a refit. */
  output: Float64Array;
  /** Iterations the model kept after early stopping, when the learner counts them. */
  iterations?: number;
  fitSeconds: number;
}

/**
 * The round a worker prepared last, kept for its next fits of the same round and input kind, and
 * the memory its matrices live in. A round's matrices (its training rows, one-hot columns
 * included) are ~70 MB on 50,000 rows with a few hundred one-hot columns. Keeping every round of
 * both input kinds (ten) had memory grow with rounds × kinds × workers; a new buffer per round
 * left the previous ones to the garbage collector, which let two or three pile up in a worker.
 * So each round is written over the last, in one buffer made for every row of the data and as many
 * columns as a round may have (pages no round writes are never touched, so they take no memory).
 */
export class RoundCache {
  private latest: { context: FitContext; key: string; round: PreparedRound } | undefined;
  private buffer = new Float32Array(0);

  get(context: FitContext, round: number | null, scaled: boolean): PreparedRound {
    const key = `${round}:${scaled}`;
    if (this.latest?.context !== context || this.latest.key !== key) {
      this.latest = undefined; // its memory is about to be written over
      this.latest = { context, key, round: prepareRound(context, round, scaled, (rows, cols) => this.zeros(context.data, rows, cols)) };
    }
    return this.latest.round;
  }

  /** Zeros for a rows × cols matrix, at the start of the buffer (made for the refit's rows, every row, and the widest preprocessing, within reason). */
  private zeros(data: EncodedFeatures, rows: number, cols: number): Float32Array {
    const length = rows * cols;
    if (this.buffer.length < length) this.buffer = new Float32Array(Math.max(length, data.rows * Math.min(widestTransform(data), 2 * cols)));
    else this.buffer.fill(0, 0, length);
    return this.buffer.subarray(0, length);
  }
}

interface PreparedRound {
  preprocessing: Preprocessing;
  fit: Dataset;
  watch: Dataset | undefined;
  /** The rows the round scores; their matrix is made when scoring (see `scoreRows`). */
  scored: Int32Array;
}

/** Below this many training rows there are too few to spare any for early stopping. */
const MIN_ROWS_FOR_EARLY_STOPPING = 200;

/**
 * Fits one candidate for one validation round. Preprocessing is fitted on the round's training
 * rows only; it depends on the round and on scaled vs raw input, not on the candidate, so a
 * prepared round is kept in `cache` for the next fits of the same round and kind.
 */
export function runFit(context: FitContext, request: FitRequest, cache: RoundCache): FitResult {
  const learner = learners[request.algorithm];
  const prepared = cache.get(context, request.round, learner.needsScaledInput);
  const { params, logTarget: onLog } = splitTargetTransform(request.params);
  const target = onLog ? logTarget(prepared.fit.y) : undefined;
  const started = performance.now();
  const model = learner.fit(target ? { ...prepared.fit, y: target.values } : prepared.fit, context.task, params, {
    seed: request.seed,
    ...(prepared.watch && { validation: target ? { ...prepared.watch, y: prepared.watch.y.map(Math.log) } : prepared.watch }),
    ...(request.deadline !== undefined && { deadline: request.deadline }),
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const raw = scoreRows(model, prepared.preprocessing, context.data, prepared.scored);
  const output = target ? applyOutputMap(target.back, raw) : raw;
  const predictor = { kind: "model" as const, preprocessing: prepared.preprocessing, model: model.toJSON() };
  return { predictor, output, fitSeconds, ...(target && { targetMap: target.back }), ...(model.iterations !== undefined && { iterations: model.iterations }) };
}

/** The fitted model as a predictor of the target: behind its map back from a log target, if any. */
export function fitPredictor(result: FitResult): PredictorSpec {
  return behindMap<PredictorSpec>(result.predictor, result.targetMap);
}

/** The round's preprocessing, fitted on its training rows, and its matrices, written into `zeros(rows, cols)`. */
function prepareRound(context: FitContext, round: number | null, scaled: boolean, zeros: (rows: number, cols: number) => Float32Array): PreparedRound {
  const { train, test } = roundRows(context.split, round);
  const preprocessing = fitPreprocessing(context.data, train, scaled);
  const early = round !== null && train.length >= MIN_ROWS_FOR_EARLY_STOPPING ? earlyStoppingSplit(train, deriveSeed(context.seed, round)) : undefined;
  const parts = early ? [early.fit, early.watch] : [train];
  const cols = transformWidth(preprocessing);
  const values = zeros(parts.reduce((total, rows) => total + rows.length, 0), cols);
  let offset = 0;
  const [fit, watch] = parts.map((rows): Dataset => ({
    X: transform(preprocessing, context.data, rows, values.subarray(offset, (offset += rows.length * cols))),
    y: Float64Array.from(rows, (row) => context.y[row]!),
  }));
  return { preprocessing, fit: fit!, watch, scored: test };
}

/** Rows whose matrix is made per chunk when scoring: a chunk's matrix is a few MB however many rows a round scores. */
const SCORING_CHUNK_ROWS = 1024;

/** The model's output on the rows, made a chunk of rows at a time. */
function scoreRows(model: TrainedModel, preprocessing: Preprocessing, data: EncodedFeatures, rows: Int32Array): Float64Array {
  const chunks: Float64Array[] = [];
  for (let start = 0; start < rows.length; start += SCORING_CHUNK_ROWS) chunks.push(model.predict(transform(preprocessing, data, rows.subarray(start, start + SCORING_CHUNK_ROWS))));
  const output = new Float64Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.length;
  }
  return output;
}

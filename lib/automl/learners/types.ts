/** The contract between the AutoML search and its learners. */

export type Task =
  | { kind: "binary" }
  | { kind: "multiclass"; classes: number }
  | { kind: "regression" };

/** A dense row-major matrix of features; NaN marks a missing value. */
export interface Matrix {
  rows: number;
  cols: number;
  values: Float32Array;
}

export interface Dataset {
  X: Matrix;
  /** Class index (0..k-1) for classification, the target value for regression. */
  y: Float64Array;
  /** Optional per-row weights (default 1). */
  weights?: Float64Array;
}

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

export type ParamRange =
  | { type: "float"; low: number; high: number; log?: boolean }
  | { type: "int"; low: number; high: number; log?: boolean }
  | { type: "choice"; values: readonly ParamValue[] };

export type SearchSpace = Record<string, ParamRange>;

export interface FitOptions {
  seed: number;
  /** Held-out rows for early stopping (never the rows being scored). */
  validation?: Dataset;
  /** Stop adding capacity (trees, epochs) at this time (Date.now() milliseconds) and return what is fitted. */
  deadline?: number;
}

export type Algorithm = "gbdt" | "linear" | "mlp";

export interface Learner {
  algorithm: Algorithm;
  /** Whether features must be imputed and scaled first (linear, MLP) or may be raw with NaNs (GBDT). */
  needsScaledInput: boolean;
  defaults: Params;
  searchSpace: SearchSpace;
  /**
   * The parameter capping training iterations (boosting rounds, epochs). A model fitted with
   * validation reports the iterations it kept as `TrainedModel.iterations`; a refit on all rows,
   * without validation, can pass that value here.
   */
  iterationsParam?: string;
  fit(train: Dataset, task: Task, params: Params, options: FitOptions): TrainedModel;
}

export interface TrainedModel {
  algorithm: Algorithm;
  task: Task;
  /** Training iterations kept (boosting rounds, epochs, optimizer iterations), after early stopping. */
  iterations?: number;
  /**
   * Binary: P(class 1) per row. Multiclass: rows × classes probabilities, row-major.
   * Regression: the predicted value per row.
   */
  predict(X: Matrix): Float64Array;
  /** Plain JSON that `loadModel` turns back into a model with identical predictions. */
  toJSON(): SerializedModel;
}

export interface SerializedModel {
  algorithm: Algorithm;
  version: number;
  [field: string]: unknown;
}

import { minimize } from "./lbfgs.ts";
import { objectiveFor, outputCount, totalWeight } from "./objective.ts";
import { ParamReader } from "./params.ts";
import { SerializedFields } from "./serialized-fields.ts";
import { standardizeTarget } from "./target-scaling.ts";
import { checkFitData } from "./training-data.ts";
import type { Dataset, FitOptions, Learner, Matrix, Params, SerializedModel, Task, TrainedModel } from "./types.ts";

const VERSION = 1;

const defaults: Params = {
  /** Penalty strength on the coefficients (per row, as the loss is a mean). */
  regularization: 1e-4,
  /** Share of the penalty that is L1 (elastic net); the rest is L2. */
  l1Ratio: 0,
  maxIterations: 500,
};

/**
 * Regularized linear models on imputed, scaled features: logistic regression (binary),
 * multinomial logistic regression (multiclass), ridge/elastic-net regression. Fitted to
 * convergence by L-BFGS (OWL-QN when L1 is on); the intercepts are not penalized.
 */
export const linearLearner: Learner = {
  algorithm: "linear",
  needsScaledInput: true,
  defaults,
  searchSpace: {
    regularization: { type: "float", low: 1e-6, high: 1, log: true },
    l1Ratio: { type: "float", low: 0, high: 1 },
  },
  fit(train, task, params, options) {
    checkFitData("linear", task, train, options, false);
    const read = new ParamReader("linear", defaults, params);
    return fitLinear(train, task, options, {
      regularization: read.number("regularization", 0, Infinity),
      l1Ratio: read.number("l1Ratio", 0, 1),
      maxIterations: read.int("maxIterations", 1, 1_000_000),
    });
  },
};

interface LinearSettings {
  regularization: number;
  l1Ratio: number;
  maxIterations: number;
}

function fitLinear(train: Dataset, task: Task, options: FitOptions, settings: LinearSettings): LinearModel {
  const { X, weights } = train;
  const target = task.kind === "regression" ? standardizeTarget(train.y, weights) : undefined;
  const y = target?.values ?? train.y;
  const objective = objectiveFor(task);
  const outputs = objective.outputs;
  const d = X.cols;
  const weightSum = totalWeight(weights, X.rows);
  const l2 = settings.regularization * (1 - settings.l1Ratio);
  const l1Strength = settings.regularization * settings.l1Ratio;
  const scores = new Float64Array(X.rows * outputs);
  const scoreGrad = new Float64Array(X.rows * outputs);
  const sparse = nonZerosWhenSparse(X);

  // Parameters: coefficients output by output (outputs × d), then the intercepts.
  const smooth = (theta: Float64Array, grad: Float64Array): number => {
    const coefficients = theta.subarray(0, outputs * d);
    linearScores(X, coefficients, theta.subarray(outputs * d), outputs, scores, sparse);
    const loss = objective.loss(scores, y, weights);
    objective.derivatives(scores, y, weights, scoreGrad);
    grad.fill(0);
    for (let r = 0; r < X.rows; r++) {
      for (let c = 0; c < outputs; c++) {
        const g = scoreGrad[r * outputs + c]! / weightSum;
        const offset = c * d;
        if (sparse) {
          for (let k = sparse.rowStart[r]!; k < sparse.rowStart[r + 1]!; k++) grad[offset + sparse.columns[k]!]! += g * sparse.values[k]!;
        } else {
          for (let j = 0, at = r * d; j < d; j++, at++) grad[offset + j]! += g * X.values[at]!;
        }
        grad[outputs * d + c]! += g;
      }
    }
    let penalty = 0;
    for (let i = 0; i < outputs * d; i++) {
      penalty += theta[i]! * theta[i]!;
      grad[i]! += l2 * theta[i]!;
    }
    return loss + 0.5 * l2 * penalty;
  };

  const start = new Float64Array(outputs * d + outputs);
  start.set(objective.baseScores(y, weights), outputs * d);
  const l1 = l1Strength > 0 ? new Float64Array(start.length).fill(l1Strength, 0, outputs * d) : undefined;
  const result = minimize(smooth, start, {
    maxIterations: settings.maxIterations,
    gradientTolerance: 1e-9,
    ...(l1 && { l1 }),
    ...(options.deadline !== undefined && { deadline: options.deadline }),
  });

  const coefficients = result.x.slice(0, outputs * d);
  const intercepts = result.x.slice(outputs * d);
  if (target) {
    for (let j = 0; j < d; j++) coefficients[j]! *= target.scale;
    intercepts[0] = intercepts[0]! * target.scale + target.mean;
  }
  return new LinearModel(task, d, coefficients, intercepts, result.iterations);
}

/**
 * scores[r * outputs + c] = intercepts[c] + Σ_j X[r, j] · coefficients[c * d + j], over X's
 * non-zero values alone when given (the same sum: the terms left out are zeros).
 */
function linearScores(
  X: Matrix,
  coefficients: Float64Array,
  intercepts: Float64Array,
  outputs: number,
  scores: Float64Array,
  sparse?: NonZeros,
): void {
  const d = X.cols;
  for (let r = 0; r < X.rows; r++) {
    const rowOffset = r * d;
    for (let c = 0; c < outputs; c++) {
      let sum = intercepts[c]!;
      const offset = c * d;
      if (sparse) {
        for (let k = sparse.rowStart[r]!; k < sparse.rowStart[r + 1]!; k++) sum += sparse.values[k]! * coefficients[offset + sparse.columns[k]!]!;
      } else {
        for (let j = 0; j < d; j++) sum += X.values[rowOffset + j]! * coefficients[offset + j]!;
      }
      scores[r * outputs + c] = sum;
    }
  }
}

/** A matrix's non-zero values row by row, in column order (compressed sparse rows). */
interface NonZeros {
  /** Row r's values are values[rowStart[r]] .. values[rowStart[r + 1] - 1]. */
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
}

/**
 * The non-zero values of X when at most half its values are non-zero (one-hot columns make most of
 * them zeros), so that each pass of the optimizer touches only those; undefined for denser X, whose
 * non-zeros would take more memory than X itself.
 */
function nonZerosWhenSparse(X: Matrix): NonZeros | undefined {
  let count = 0;
  for (const value of X.values) if (value !== 0) count++;
  if (count > X.values.length / 2) return undefined;
  const rowStart = new Int32Array(X.rows + 1);
  const columns = new Int32Array(count);
  const values = new Float32Array(count);
  let next = 0;
  for (let r = 0; r < X.rows; r++) {
    for (let j = 0, at = r * X.cols; j < X.cols; j++, at++) {
      const value = X.values[at]!;
      if (value === 0) continue;
      columns[next] = j;
      values[next++] = value;
    }
    rowStart[r + 1] = next;
  }
  return { rowStart, columns, values };
}

class LinearModel implements TrainedModel {
  readonly algorithm = "linear";

  constructor(
    readonly task: Task,
    private readonly featureCount: number,
    /** outputs × features, output by output. */
    private readonly coefficients: Float64Array,
    private readonly intercepts: Float64Array,
    readonly iterations: number,
  ) {}

  predict(X: Matrix): Float64Array {
    if (X.cols !== this.featureCount) {
      throw new Error(`linear: model has ${this.featureCount} features, input has ${X.cols}`);
    }
    const scores = new Float64Array(X.rows * this.intercepts.length);
    linearScores(X, this.coefficients, this.intercepts, this.intercepts.length, scores);
    return objectiveFor(this.task).transform(scores);
  }

  toJSON(): SerializedModel {
    return {
      algorithm: "linear",
      version: VERSION,
      task: this.task,
      featureCount: this.featureCount,
      iterations: this.iterations,
      coefficients: Array.from(this.coefficients),
      intercepts: Array.from(this.intercepts),
    };
  }
}

export function loadLinearModel(json: SerializedModel): TrainedModel {
  const fields = new SerializedFields(json, "linear", VERSION);
  const task = fields.task();
  const featureCount = fields.number("featureCount");
  const outputs = outputCount(task);
  return new LinearModel(
    task,
    featureCount,
    fields.numbers("coefficients", outputs * featureCount),
    fields.numbers("intercepts", outputs),
    fields.number("iterations"),
  );
}

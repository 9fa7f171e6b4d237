import type { Task } from "./types.ts";

/**
 * The loss a learner minimizes for a task, on raw scores (logits, or values for regression),
 * `outputs` scores per row, row-major.
 */
export interface Objective {
  /** Raw scores per row: 1 for binary and regression, the class count for multiclass. */
  readonly outputs: number;
  /** Raw scores that predict the weighted class prior (classification) or mean (regression). */
  baseScores(y: Float64Array, weights: Float64Array | undefined): Float64Array;
  /** Weighted mean loss over the rows. */
  loss(scores: Float64Array, y: Float64Array, weights: Float64Array | undefined): number;
  /**
   * Writes each row's weighted derivative of the loss by its raw scores into `grad`, and the
   * diagonal second derivatives into `hess` when given; both laid out like `scores`.
   */
  derivatives(
    scores: Float64Array,
    y: Float64Array,
    weights: Float64Array | undefined,
    grad: Float64Array,
    hess?: Float64Array,
  ): void;
  /** Raw scores to predictions, in place: P(class 1), class probabilities, or values. */
  transform(scores: Float64Array): Float64Array;
}

export function outputCount(task: Task): number {
  return task.kind === "multiclass" ? task.classes : 1;
}

export function objectiveFor(task: Task): Objective {
  switch (task.kind) {
    case "binary":
      return logistic;
    case "multiclass":
      return softmax(task.classes);
    case "regression":
      return squaredError;
  }
}

/** Raw scores for `rows` rows, each starting at `baseScores`. */
export function initialScores(baseScores: Float64Array, rows: number): Float64Array {
  const scores = new Float64Array(rows * baseScores.length);
  for (let i = 0; i < scores.length; i++) scores[i] = baseScores[i % baseScores.length]!;
  return scores;
}

export function totalWeight(weights: Float64Array | undefined, rows: number): number {
  if (weights === undefined) return rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += weights[r]!;
  return sum;
}

const MIN_PROBABILITY = 1e-6;
const MIN_HESSIAN = 1e-16;

const logistic: Objective = {
  outputs: 1,
  baseScores(y, weights) {
    const prior = clampProbability(classPriors(y, weights, 2)[1]!);
    return Float64Array.of(Math.log(prior / (1 - prior)));
  },
  loss(scores, y, weights) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) {
      const z = scores[r]!;
      sum += (weights?.[r] ?? 1) * (softplus(z) - y[r]! * z);
    }
    return sum / totalWeight(weights, y.length);
  },
  derivatives(scores, y, weights, grad, hess) {
    for (let r = 0; r < y.length; r++) {
      const w = weights?.[r] ?? 1;
      const p = sigmoid(scores[r]!);
      grad[r] = w * (p - y[r]!);
      if (hess) hess[r] = w * Math.max(p * (1 - p), MIN_HESSIAN);
    }
  },
  transform(scores) {
    for (let r = 0; r < scores.length; r++) scores[r] = sigmoid(scores[r]!);
    return scores;
  },
};

function softmax(classes: number): Objective {
  // Friedman's k/(k-1) scaling keeps the diagonal Newton step from overshooting.
  const hessianScale = classes / (classes - 1);
  const probabilities = new Float64Array(classes);
  return {
    outputs: classes,
    baseScores(y, weights) {
      return classPriors(y, weights, classes).map((prior) => Math.log(clampProbability(prior)));
    },
    loss(scores, y, weights) {
      let sum = 0;
      for (let r = 0; r < y.length; r++) {
        const offset = r * classes;
        sum += (weights?.[r] ?? 1) * (logSumExp(scores, offset, classes) - scores[offset + y[r]!]!);
      }
      return sum / totalWeight(weights, y.length);
    },
    derivatives(scores, y, weights, grad, hess) {
      for (let r = 0; r < y.length; r++) {
        const w = weights?.[r] ?? 1;
        const offset = r * classes;
        softmaxInto(scores, offset, classes, probabilities, 0);
        for (let c = 0; c < classes; c++) {
          const p = probabilities[c]!;
          grad[offset + c] = w * (p - (y[r] === c ? 1 : 0));
          if (hess) hess[offset + c] = w * Math.max(hessianScale * p * (1 - p), MIN_HESSIAN);
        }
      }
    },
    transform(scores) {
      for (let offset = 0; offset < scores.length; offset += classes) {
        softmaxInto(scores, offset, classes, scores, offset);
      }
      return scores;
    },
  };
}

const squaredError: Objective = {
  outputs: 1,
  baseScores(y, weights) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) sum += (weights?.[r] ?? 1) * y[r]!;
    return Float64Array.of(sum / totalWeight(weights, y.length));
  },
  loss(scores, y, weights) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) {
      const residual = scores[r]! - y[r]!;
      sum += (weights?.[r] ?? 1) * 0.5 * residual * residual;
    }
    return sum / totalWeight(weights, y.length);
  },
  derivatives(scores, y, weights, grad, hess) {
    for (let r = 0; r < y.length; r++) {
      const w = weights?.[r] ?? 1;
      grad[r] = w * (scores[r]! - y[r]!);
      if (hess) hess[r] = w;
    }
  },
  transform(scores) {
    return scores;
  },
};

function classPriors(y: Float64Array, weights: Float64Array | undefined, classes: number): Float64Array {
  const priors = new Float64Array(classes);
  for (let r = 0; r < y.length; r++) priors[y[r]!]! += weights?.[r] ?? 1;
  const total = totalWeight(weights, y.length);
  for (let c = 0; c < classes; c++) priors[c]! /= total;
  return priors;
}

function clampProbability(p: number): number {
  return Math.min(Math.max(p, MIN_PROBABILITY), 1 - MIN_PROBABILITY);
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function logSumExp(values: Float64Array, offset: number, count: number): number {
  let max = -Infinity;
  for (let c = 0; c < count; c++) max = Math.max(max, values[offset + c]!);
  let sum = 0;
  for (let c = 0; c < count; c++) sum += Math.exp(values[offset + c]! - max);
  return max + Math.log(sum);
}

function softmaxInto(
  scores: Float64Array,
  offset: number,
  count: number,
  out: Float64Array,
  outOffset: number,
): void {
  let max = -Infinity;
  for (let c = 0; c < count; c++) max = Math.max(max, scores[offset + c]!);
  let sum = 0;
  for (let c = 0; c < count; c++) {
    const e = Math.exp(scores[offset + c]! - max);
    out[outOffset + c] = e;
    sum += e;
  }
  for (let c = 0; c < count; c++) out[outOffset + c]! /= sum;
}

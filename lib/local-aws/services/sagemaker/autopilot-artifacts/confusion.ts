/** Counts of actual against predicted classes, and the scores Model Monitor derives from them. */

/** `matrix[actual][predicted]` row counts. */
export type ConfusionCounts = number[][];

export function confusionCounts(y: Float64Array, predicted: Int32Array, classes: number): ConfusionCounts {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < y.length; i++) matrix[y[i]!]![predicted[i]!]!++;
  return matrix;
}

/** F-beta from precision and recall; 0 when both are 0 (as scikit-learn). */
export function fScore(precision: number, recall: number, beta: number): number {
  const b2 = beta * beta;
  const denominator = b2 * precision + recall;
  return denominator === 0 ? 0 : ((1 + b2) * precision * recall) / denominator;
}

export interface ClassScores {
  precision: number;
  recall: number;
  /** Rows whose actual class it is. */
  support: number;
}

/** Class `c` taken as the positive one; precision 0 when it is never predicted, as scikit-learn. */
export function classScores(matrix: ConfusionCounts, c: number): ClassScores {
  const truePositives = matrix[c]![c]!;
  const support = matrix[c]!.reduce((sum, count) => sum + count, 0);
  const predicted = matrix.reduce((sum, row) => sum + row[c]!, 0);
  return { precision: predicted === 0 ? 0 : truePositives / predicted, recall: support === 0 ? 0 : truePositives / support, support };
}

/** A per-class score averaged with each class weighted by its support (scikit-learn's "weighted"). */
export function weightedScore(matrix: ConfusionCounts, score: (scores: ClassScores) => number): number {
  const perClass = matrix.map((_, c) => classScores(matrix, c));
  const total = perClass.reduce((sum, scores) => sum + scores.support, 0);
  return perClass.reduce((sum, scores) => sum + score(scores) * scores.support, 0) / total;
}

/** True and false positives and negatives of a binary matrix, class 1 positive. */
export function binaryCounts(matrix: ConfusionCounts): { tp: number; fp: number; tn: number; fn: number } {
  return { tn: matrix[0]![0]!, fp: matrix[0]![1]!, fn: matrix[1]![0]!, tp: matrix[1]![1]! };
}

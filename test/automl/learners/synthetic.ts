import { Random } from "../../../lib/automl/learners/random.ts";
import type { Dataset, Matrix } from "../../../lib/automl/learners/types.ts";

export function matrix(rows: number[][]): Matrix {
  const cols = rows[0]?.length ?? 0;
  return { rows: rows.length, cols, values: Float32Array.from(rows.flat()) };
}

export function dataset(rows: number[][], y: number[]): Dataset {
  return { X: matrix(rows), y: Float64Array.from(y) };
}

/** Rows of uniform features in [-1, 1) with a target computed from each row. */
export function generate(
  rowCount: number,
  cols: number,
  seed: number,
  target: (row: Float32Array, random: Random) => number,
): Dataset {
  const random = new Random(seed);
  const values = new Float32Array(rowCount * cols);
  const y = new Float64Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const row = values.subarray(r * cols, (r + 1) * cols);
    for (let c = 0; c < cols; c++) row[c] = 2 * random.next() - 1;
    y[r] = target(row, random);
  }
  return { X: { rows: rowCount, cols, values }, y };
}

/**
 * A churn-like problem: 20 numeric features, 50 binary ones (as one-hot columns), a nonlinear
 * binary target with label noise, and some missing values in the first numeric columns.
 */
export function churnLike(rowCount: number, seed: number, missingRate = 0.05): Dataset {
  const data = generate(rowCount, 70, seed, (row, random) => {
    for (let c = 20; c < 70; c++) row[c] = row[c]! > 0.6 ? 1 : 0;
    const logit =
      2.5 * row[0]! * row[1]! + 2 * Math.sin(3 * row[2]!) + (row[3]! > 0.3 ? 1.5 : -0.5) + 1.2 * row[20]! - row[21]! + 0.8 * row[4]! ** 2;
    return random.next() < 1 / (1 + Math.exp(-2 * logit)) ? 1 : 0;
  });
  const random = new Random(seed + 1);
  for (let r = 0; r < rowCount; r++) {
    for (let c = 5; c < 10; c++) if (random.next() < missingRate) data.X.values[r * 70 + c] = NaN;
  }
  return data;
}

export function accuracy(probabilities: Float64Array, y: Float64Array, classes = 2): number {
  let correct = 0;
  for (let r = 0; r < y.length; r++) {
    let predicted: number;
    if (classes === 2) predicted = probabilities[r]! >= 0.5 ? 1 : 0;
    else {
      const row = probabilities.subarray(r * classes, (r + 1) * classes);
      predicted = row.indexOf(Math.max(...row));
    }
    if (predicted === y[r]) correct++;
  }
  return correct / y.length;
}

export function auc(probabilities: Float64Array, y: Float64Array): number {
  const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[a]! - probabilities[b]!);
  let rankSum = 0;
  let positives = 0;
  order.forEach((row, rank) => {
    if (y[row] === 1) {
      rankSum += rank + 1;
      positives++;
    }
  });
  const negatives = y.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Splits off the last `fraction` of the rows. */
export function splitTail(data: Dataset, fraction: number): [Dataset, Dataset] {
  const cut = Math.round(data.X.rows * (1 - fraction));
  const part = (start: number, end: number): Dataset => ({
    X: { rows: end - start, cols: data.X.cols, values: data.X.values.slice(start * data.X.cols, end * data.X.cols) },
    y: data.y.slice(start, end),
  });
  return [part(0, cut), part(cut, data.X.rows)];
}

/** Scales each column to mean 0 and unit variance using `fitted`'s statistics (as preprocessing would). */
export function standardizeColumns(fitted: Matrix, ...others: Matrix[]): Matrix[] {
  const { rows, cols } = fitted;
  const mean = new Float64Array(cols);
  const deviation = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += fitted.values[r * cols + c]! / rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) deviation[c]! += (fitted.values[r * cols + c]! - mean[c]!) ** 2 / rows;
  }
  return [fitted, ...others].map((m) => ({
    rows: m.rows,
    cols,
    values: m.values.map((value, i) => (value - mean[i % cols]!) / (Math.sqrt(deviation[i % cols]!) || 1)),
  }));
}

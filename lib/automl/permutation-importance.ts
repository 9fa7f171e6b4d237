import type { EncodedColumn, EncodedFeatures } from "./encoding.ts";
import { computeMetric } from "./metrics.ts";
import { loadPredictor, type PredictorSpec } from "./predictor.ts";
import type { Task } from "./learners/types.ts";
import { createRandom, shuffle } from "./rng.ts";

export interface ColumnImportance {
  column: string;
  /** The column's share of the total loss increase (the shares sum to 1 when any column matters). */
  importance: number;
}

/** Rows the importance is measured on: enough for stable shares, few enough to cost a second or two. */
export const IMPORTANCE_ROWS = 2000;

/**
 * Permutation importance: how much the model's loss (log loss, or squared error for regression)
 * grows when one input column's values are shuffled across rows, breaking its link to the target.
 * Unlike split gains or weight magnitudes it treats every model and column kind alike: a categorical
 * column counts once, however many one-hot features it became. Deterministic for a seed.
 */
export function permutationImportance(spec: PredictorSpec, data: EncodedFeatures, y: Float64Array, task: Task, seed: number, maxRows = IMPORTANCE_ROWS): ColumnImportance[] {
  const random = createRandom(seed);
  const rows = data.rows <= maxRows ? undefined : shuffle(Int32Array.from({ length: data.rows }, (_, i) => i), random).slice(0, maxRows).sort();
  const sample = rows ? selectRows(data, rows) : data;
  const truth = rows ? Float64Array.from(rows, (r) => y[r]!) : y;
  const predictor = loadPredictor(spec);
  const metric = task.kind === "regression" ? "MSE" : "LogLoss";
  const loss = (features: EncodedFeatures) => computeMetric(metric, truth, predictor.predict(features), task);
  const baseline = loss(sample);
  const increases = sample.columns.map((column, c) => {
    const order = shuffle(Int32Array.from({ length: sample.rows }, (_, i) => i), random);
    const columns = sample.columns.slice();
    columns[c] = gatherColumn(column, order);
    return Math.max(0, loss({ rows: sample.rows, columns }) - baseline);
  });
  const total = increases.reduce((sum, value) => sum + value, 0);
  return sample.columns
    .map((column, c) => ({ column: column.name, importance: total > 0 ? increases[c]! / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.column.localeCompare(b.column));
}

/** The column's values at the given rows, in that order. */
function gatherColumn(column: EncodedColumn, order: Int32Array): EncodedColumn {
  return column.kind === "categorical"
    ? { ...column, codes: Int32Array.from(order, (r) => column.codes[r]!) }
    : { ...column, values: Float64Array.from(order, (r) => column.values[r]!) };
}

function selectRows(data: EncodedFeatures, rows: Int32Array): EncodedFeatures {
  return { rows: rows.length, columns: data.columns.map((column) => gatherColumn(column, rows)) };
}

import type { EncodedColumn, EncodedFeatures } from "./encoding.ts";
import type { Matrix } from "./learners/types.ts";

/**
 * Turns encoded features into the learners' matrix. Fitted on training rows only and serialized
 * with the model. Scaled (linear, MLP): numbers imputed with the median (flags with the most
 * frequent value) and standardized, categories one-hot with the most frequent filling gaps.
 * Unscaled (GBDT): numbers raw with NaN for missing, categories one-hot with missing as all zeros.
 */
export type FeatureTransform =
  | { kind: "number"; column: string; standardize?: { fill: number; center: number; scale: number } }
  | { kind: "onehot"; column: string; categories: string[]; other: boolean; fill?: string };

export interface Preprocessing {
  scaled: boolean;
  transforms: FeatureTransform[];
}

/** Categories seen on fewer training rows than this are grouped into one "other" indicator. */
export const MIN_CATEGORY_ROWS = 10;
/** At most this many categories of a column get their own indicator, the most frequent first. */
const MAX_CATEGORIES = 100;

export function fitPreprocessing(data: EncodedFeatures, rows: Int32Array, scaled: boolean): Preprocessing {
  const transforms = data.columns.map((column): FeatureTransform => {
    if (column.kind === "categorical") return fitOneHot(column, rows, scaled);
    if (!scaled) return { kind: "number", column: column.name };
    return { kind: "number", column: column.name, standardize: fitStandardize(column.values, rows, column.kind === "boolean") };
  });
  return { scaled, transforms };
}

function fitStandardize(values: Float64Array, rows: Int32Array, isFlag: boolean): { fill: number; center: number; scale: number } {
  const present = new Float64Array(rows.length);
  let count = 0;
  for (const row of rows) {
    const value = values[row]!;
    if (!Number.isNaN(value)) present[count++] = value;
  }
  const sorted = present.subarray(0, count).sort();
  if (count === 0) return { fill: 0, center: 0, scale: 1 };
  const median = count % 2 === 1 ? sorted[(count - 1) / 2]! : (sorted[count / 2 - 1]! + sorted[count / 2]!) / 2;
  // For a 0/1 flag the most frequent value is 1 exactly when more than half the values are 1.
  const fill = isFlag ? (median > 0.5 ? 1 : 0) : median;
  let sum = 0;
  for (const value of sorted) sum += value;
  const center = sum / count;
  let squares = 0;
  for (const value of sorted) squares += (value - center) ** 2;
  const deviation = Math.sqrt(squares / count);
  return { fill, center, scale: deviation > 0 ? deviation : 1 };
}

function fitOneHot(column: Extract<EncodedColumn, { kind: "categorical" }>, rows: Int32Array, scaled: boolean): FeatureTransform {
  const counts = new Float64Array(column.dictionary.length);
  for (const row of rows) {
    const code = column.codes[row]!;
    if (code >= 0) counts[code]!++;
  }
  const byFrequency = Array.from(counts.keys())
    .filter((code) => counts[code]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || compareText(column.dictionary[a]!, column.dictionary[b]!));
  const kept = byFrequency.filter((code) => counts[code]! >= MIN_CATEGORY_ROWS).slice(0, MAX_CATEGORIES);
  const categories = kept.map((code) => column.dictionary[code]!);
  const transform: FeatureTransform = { kind: "onehot", column: column.name, categories, other: kept.length < byFrequency.length };
  const mostFrequent = byFrequency[0];
  if (scaled && mostFrequent !== undefined) transform.fill = column.dictionary[mostFrequent]!;
  return transform;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function widthOf(transform: FeatureTransform): number {
  return transform.kind === "number" ? 1 : transform.categories.length + (transform.other ? 1 : 0);
}

/** Applies the preprocessing to the given rows (all rows by default), in that order. */
export function transform(preprocessing: Preprocessing, data: EncodedFeatures, rows?: Int32Array): Matrix {
  const rowCount = rows ? rows.length : data.rows;
  const cols = preprocessing.transforms.reduce((width, t) => width + widthOf(t), 0);
  const values = new Float32Array(rowCount * cols);
  const byName = new Map(data.columns.map((column) => [column.name, column]));
  let offset = 0;
  for (const step of preprocessing.transforms) {
    const column = byName.get(step.column);
    if (!column) throw new Error(`Column "${step.column}" is missing from the data handed to the preprocessing`);
    if (step.kind === "number") {
      if (column.kind === "categorical") throw new Error(`Column "${step.column}" should hold numbers`);
      writeNumbers(step, column.values, rows, values, cols, offset);
    } else {
      if (column.kind !== "categorical") throw new Error(`Column "${step.column}" should hold categories`);
      writeOneHot(step, column, rows, values, cols, offset);
    }
    offset += widthOf(step);
  }
  return { rows: rowCount, cols, values };
}

function writeNumbers(step: Extract<FeatureTransform, { kind: "number" }>, source: Float64Array, rows: Int32Array | undefined, out: Float32Array, cols: number, offset: number): void {
  const count = rows ? rows.length : source.length;
  const standardize = step.standardize;
  for (let r = 0; r < count; r++) {
    const value = source[rows ? rows[r]! : r]!;
    out[r * cols + offset] = standardize ? ((Number.isNaN(value) ? standardize.fill : value) - standardize.center) / standardize.scale : value;
  }
}

function writeOneHot(step: Extract<FeatureTransform, { kind: "onehot" }>, source: Extract<EncodedColumn, { kind: "categorical" }>, rows: Int32Array | undefined, out: Float32Array, cols: number, offset: number): void {
  const slotOf = new Map(step.categories.map((category, slot) => [category, slot]));
  const otherSlot = step.other ? step.categories.length : -1;
  const slotOfCode = Int32Array.from(source.dictionary, (category) => slotOf.get(category) ?? otherSlot);
  const fillSlot = step.fill === undefined ? -1 : (slotOf.get(step.fill) ?? otherSlot);
  const count = rows ? rows.length : source.codes.length;
  for (let r = 0; r < count; r++) {
    const code = source.codes[rows ? rows[r]! : r]!;
    const slot = code < 0 ? fillSlot : slotOfCode[code]!;
    if (slot >= 0) out[r * cols + offset + slot] = 1;
  }
}

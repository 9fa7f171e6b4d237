import { DATE_PARTS, datePart, type DatePart } from "./analysis/dates.ts";
import type { EncodedColumn, EncodedFeatures } from "./encoding.ts";
import type { Matrix } from "./learners/types.ts";

type Standardize = { fill: number; center: number; scale: number };

/**
 * Turns encoded features into the learners' matrix. Fitted on training rows only and serialized
 * with the model. Scaled (linear, MLP): numbers imputed with the median (flags with the most
 * frequent value) and standardized, categories one-hot with the most frequent filling gaps.
 * Unscaled (GBDT): numbers raw with NaN for missing, categories one-hot with missing as all zeros.
 * A date becomes its parts (year, month, day of month, day of week, day of year, time of day,
 * days since 1970-01-01), each a number as above; parts constant over the training rows are left
 * out, as Autopilot's DateTimeVectorizer leaves them
 * (https://github.com/aws/sagemaker-scikit-learn-extension, feature_extraction/date_time.py).
 */
export type FeatureTransform =
  | { kind: "number"; column: string; standardize?: Standardize }
  | { kind: "onehot"; column: string; categories: string[]; other: boolean; fill?: string }
  | { kind: "date"; column: string; parts: DatePart[]; standardize?: Standardize[] };

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
    if (column.kind === "date") return fitDate(column.name, column.values, rows, scaled);
    if (!scaled) return { kind: "number", column: column.name };
    return { kind: "number", column: column.name, standardize: fitStandardize(column.values, rows, column.kind === "boolean") };
  });
  return { scaled, transforms };
}

function fitDate(column: string, days: Float64Array, rows: Int32Array, scaled: boolean): FeatureTransform {
  const varying = DATE_PARTS.map((part) => ({ part, values: Float64Array.from(days, (day) => datePart(day, part)) })).filter(({ values }) => varies(values, rows));
  // A date the same on every training row still tells its rows from those without one.
  const kept = varying.length > 0 ? varying : [{ part: "daysSince1970" as const, values: days }];
  const parts = kept.map(({ part }) => part);
  if (!scaled) return { kind: "date", column, parts };
  return { kind: "date", column, parts, standardize: kept.map(({ values }) => fitStandardize(values, rows, false)) };
}

function varies(values: Float64Array, rows: Int32Array): boolean {
  let first = Number.NaN;
  for (const row of rows) {
    const value = values[row]!;
    if (Number.isNaN(value)) continue;
    if (Number.isNaN(first)) first = value;
    else if (value !== first) return true;
  }
  return false;
}

function fitStandardize(values: Float64Array, rows: Int32Array, isFlag: boolean): Standardize {
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
  if (transform.kind === "number") return 1;
  if (transform.kind === "date") return transform.parts.length;
  return transform.categories.length + (transform.other ? 1 : 0);
}

/** Columns of the matrix the preprocessing makes. */
export function transformWidth(preprocessing: Preprocessing): number {
  return preprocessing.transforms.reduce((width, t) => width + widthOf(t), 0);
}

/** The most columns a preprocessing fitted on any rows of this data can make. */
export function widestTransform(data: EncodedFeatures): number {
  return data.columns.reduce((width, column) => width + (column.kind === "categorical" ? Math.min(column.dictionary.length, MAX_CATEGORIES) + 1 : column.kind === "date" ? DATE_PARTS.length : 1), 0);
}

/**
 * Applies the preprocessing to the given rows (all rows by default), in that order: into `out`
 * when given (zeros, rows × `transformWidth`), else into a new matrix.
 */
export function transform(preprocessing: Preprocessing, data: EncodedFeatures, rows?: Int32Array, out?: Float32Array): Matrix {
  const rowCount = rows ? rows.length : data.rows;
  const cols = transformWidth(preprocessing);
  if (out && out.length !== rowCount * cols) throw new Error(`transform: ${out.length} values given for ${rowCount} × ${cols}`);
  const values = out ?? new Float32Array(rowCount * cols);
  const byName = new Map(data.columns.map((column) => [column.name, column]));
  let offset = 0;
  for (const step of preprocessing.transforms) {
    const column = byName.get(step.column);
    if (!column) throw new Error(`Column "${step.column}" is missing from the data handed to the preprocessing`);
    if (step.kind === "number") {
      if (column.kind === "categorical") throw new Error(`Column "${step.column}" should hold numbers`);
      writeNumbers(step.standardize, column.values, rows, values, cols, offset);
    } else if (step.kind === "date") {
      if (column.kind !== "date") throw new Error(`Column "${step.column}" should hold dates`);
      step.parts.forEach((part, i) => writeNumbers(step.standardize?.[i], datePartsOf(column.values, part, rows), undefined, values, cols, offset + i));
    } else {
      if (column.kind !== "categorical") throw new Error(`Column "${step.column}" should hold categories`);
      writeOneHot(step, column, rows, values, cols, offset);
    }
    offset += widthOf(step);
  }
  return { rows: rowCount, cols, values };
}

/** One part of each date, for the given rows (all rows by default), in that order. */
function datePartsOf(days: Float64Array, part: DatePart, rows: Int32Array | undefined): Float64Array {
  return rows ? Float64Array.from(rows, (row) => datePart(days[row]!, part)) : Float64Array.from(days, (day) => datePart(day, part));
}

function writeNumbers(standardize: Standardize | undefined, source: Float64Array, rows: Int32Array | undefined, out: Float32Array, cols: number, offset: number): void {
  const count = rows ? rows.length : source.length;
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

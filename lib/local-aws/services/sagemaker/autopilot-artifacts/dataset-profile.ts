import { targetReader, type DataAnalysis, type Table } from "../../../../automl/index.ts";
import { isMissing, parseNumber } from "../../../../automl/analysis/values.ts";

/** A numeric column's values summarized; outliers lie beyond Tukey's fences (1.5 IQR past the quartiles). */
export interface NumericSummary {
  name: string;
  present: number;
  mean: number;
  standardDeviation: number;
  min: number;
  median: number;
  max: number;
  outlierShare: number;
}

export type TargetProfile =
  | { kind: "classes"; classes: { label: string; count: number; share: number }[] }
  | { kind: "values"; summary: NumericSummary };

/** What the data exploration report shows beyond the engine's column analysis. */
export interface DatasetProfile {
  /** Rows in the input, with or without a target value. */
  rows: number;
  /** Rows repeating an earlier row field for field. */
  duplicateRows: number;
  duplicateSample: string[][];
  /** The first rows of the input. */
  sample: string[][];
  /** Numeric feature columns over the rows with a target, as the engine trains on them. */
  numericColumns: NumericSummary[];
  target: TargetProfile;
}

const SAMPLE_ROWS = 5;

export function profileDataset(table: Table, analysis: DataAnalysis): DatasetProfile {
  const targetIndex = table.header.indexOf(analysis.target.name);
  const readTarget = targetReader(analysis.target);
  const labelled = table.rows.filter((row) => !Number.isNaN(readTarget(row[targetIndex]!)));
  const duplicates = duplicateRows(table.rows);
  const numericColumns = analysis.columns
    .map((column, c) => ({ column, c }))
    .filter(({ column }) => column.role === "feature" && column.kind === "numeric")
    .map(({ column, c }) => summarize(column.name, labelled.map((row) => row[c]!)));
  return {
    rows: table.rows.length,
    duplicateRows: duplicates.length,
    duplicateSample: duplicates.slice(0, SAMPLE_ROWS),
    sample: table.rows.slice(0, SAMPLE_ROWS),
    numericColumns,
    target: targetProfile(analysis, labelled.map((row) => row[targetIndex]!)),
  };
}

function targetProfile(analysis: DataAnalysis, values: string[]): TargetProfile {
  const { labels, classCounts, problemType, name } = analysis.target;
  if (problemType === "Regression") return { kind: "values", summary: summarize(name, values) };
  const total = classCounts.reduce((sum, count) => sum + count, 0);
  return { kind: "classes", classes: labels.map((label, i) => ({ label, count: classCounts[i]!, share: classCounts[i]! / total })) };
}

/** Each row that repeats an earlier one, in input order. */
function duplicateRows(rows: readonly string[][]): string[][] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(row);
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
}

export function summarize(name: string, fields: readonly string[]): NumericSummary {
  // Values that do not read as numbers are missing to the engine (lib/automl/analysis/columns.ts), and here.
  const values = Float64Array.from(fields.filter((field) => !isMissing(field)), parseNumber).filter((value) => !Number.isNaN(value)).sort();
  const n = values.length;
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / n;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  const reach = 1.5 * (q3 - q1);
  const outliers = values.filter((value) => value < q1 - reach || value > q3 + reach).length;
  return {
    name,
    present: n,
    mean,
    standardDeviation: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    min: values[0] ?? Number.NaN,
    median: quantile(values, 0.5),
    max: values[n - 1] ?? Number.NaN,
    outlierShare: n === 0 ? 0 : outliers / n,
  };
}

/** Linear interpolation between the closest ranks, as pandas' and NumPy's default. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

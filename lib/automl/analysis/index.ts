import { AutoMLInputError } from "../errors.ts";
import type { ProblemType } from "../problem.ts";
import { columnsOfTable, type CsvFormat, type InputRules, type Table, type TextColumns } from "../table.ts";
import { profileFeatureColumn, valueKind, type ColumnProfile } from "./columns.ts";
import { describeDecisions } from "./decisions.ts";
import { analyseTarget, targetReader, type TargetAnalysis } from "./target.ts";

export type { ColumnKind, ColumnProfile, FeatureKind, UnreadableValues } from "./columns.ts";
export type { DateOrder } from "./dates.ts";
export { targetReader, type TargetAnalysis } from "./target.ts";

/**
 * Autopilot's minimum training set ("A minimum of 500 rows is required for the training dataset",
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateAutoMLJob.html#sagemaker-CreateAutoMLJob-request-InputDataConfig),
 * the engine's default; and the engine's own caps on width and classes.
 */
export const INPUT_LIMITS = { minRows: 500, maxColumns: 1000, maxClasses: 2000 } as const;

export interface DataAnalysis {
  /** Rows with a target value: the rows the job learns from. */
  rows: number;
  /** Every input column in file order, the target included. */
  columns: ColumnProfile[];
  target: TargetAnalysis;
  /** How the CSV file was read, when the data came as a file. */
  format?: CsvFormat;
  /** Every decision about reading and typing the data, in plain words (see `describeDecisions`). */
  decisions: string[];
}

export interface AnalysisOptions {
  /** Inferred from the target when not given. */
  problemType?: ProblemType;
  /** The fewest rows with a target to learn from; Autopilot's 500 by default. */
  minRows?: number;
  /** Whose rules the errors speak of: the engine's (the default) or Autopilot's. */
  rules?: InputRules;
  format?: CsvFormat;
}

/** Profiles the columns and the target, and applies Autopilot's input rules. */
export function analyseTable(input: Table | TextColumns, targetName: string, options: AnalysisOptions = {}): DataAnalysis {
  const table = "rows" in input ? columnsOfTable(input) : input;
  checkHeader(table.header);
  const targetIndex = findTarget(table.header, targetName);
  const targetValues = table.column(targetIndex);
  const target = analyseTarget(targetName, targetValues, options.problemType);
  const labelled = labelledRows(targetValues, target);
  checkRowCount(labelled.length, table.rowCount - labelled.length, options);
  if (target.labels.length > INPUT_LIMITS.maxClasses) {
    throw new AutoMLInputError(`Target column "${targetName}" has ${target.labels.length} classes; at most ${INPUT_LIMITS.maxClasses} are supported.`);
  }
  const columns = table.header.map((name, c): ColumnProfile => {
    if (c !== targetIndex) return profileFeatureColumn(name, valuesAt(table.column(c), labelled));
    const { kind, missing, counts } = valueKind(targetValues);
    return { name, kind, role: "target", missing, distinct: counts.size };
  });
  if (!columns.some((column) => column.role === "feature")) {
    const reasons = columns.filter((column) => column.role === "dropped").map((column) => `"${column.name}" (${column.reason})`);
    throw new AutoMLInputError(`No column is usable as a feature: ${reasons.join(", ") || "the target is the only column"}.`);
  }
  const analysis = { rows: labelled.length, columns, target, ...(options.format && { format: options.format }) };
  return { ...analysis, decisions: describeDecisions({ ...analysis, rows: table.rowCount }) };
}

/** The rows whose target value is usable (see `targetReader`): the rows the job learns from. */
export function labelledRows(targetValues: readonly string[], target: TargetAnalysis): Int32Array {
  const readTarget = targetReader(target);
  const rows = new Int32Array(targetValues.length);
  let count = 0;
  targetValues.forEach((value, row) => {
    if (!Number.isNaN(readTarget(value))) rows[count++] = row;
  });
  return rows.slice(0, count);
}

/** The values at the given rows, in their order (the values themselves when every row is given). */
export function valuesAt(values: string[], rows: Int32Array): string[] {
  return rows.length === values.length ? values : Array.from(rows, (row) => values[row]!);
}

function checkRowCount(usable: number, left: number, { minRows = INPUT_LIMITS.minRows, rules = "engine" }: AnalysisOptions): void {
  if (usable >= minRows) return;
  const without = left > 0 ? ` (${left} rows without a target value are not counted)` : "";
  const needs =
    rules === "autopilot" ? `Autopilot needs at least ${minRows}. Add rows.` :
    minRows === INPUT_LIMITS.minRows ? `at least ${minRows} are needed, as Autopilot needs. Add rows, or lower minRows (--min-rows on the command line).` :
    `minRows is ${minRows}. Add rows, or lower minRows (--min-rows on the command line).`;
  throw new AutoMLInputError(`The data has ${usable} usable rows${without}; ${needs}`);
}

function checkHeader(header: readonly string[]): void {
  if (header.length > INPUT_LIMITS.maxColumns) {
    throw new AutoMLInputError(`The data has ${header.length} columns; at most ${INPUT_LIMITS.maxColumns} are supported. Select fewer columns.`);
  }
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name.trim() === "") throw new AutoMLInputError(`Column ${index + 1} has an empty name; every column needs a name in the header line.`);
    if (seen.has(name)) throw new AutoMLInputError(`Column name "${name}" appears more than once in the header; column names must be unique.`);
    seen.add(name);
  });
}

function findTarget(header: readonly string[], targetName: string): number {
  const index = header.indexOf(targetName);
  if (index >= 0) return index;
  const nearly = header.find((name) => name.trim().toLowerCase() === targetName.trim().toLowerCase());
  const hint = nearly === undefined ? "" : ` Did you mean "${nearly}"?`;
  throw new AutoMLInputError(`Target column "${targetName}" is not in the header (${header.map((name) => `"${name}"`).join(", ")}).${hint}`);
}

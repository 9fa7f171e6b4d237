import { AutoMLInputError } from "../errors.ts";
import type { ProblemType } from "../problem.ts";
import type { Table } from "../table.ts";
import { profileFeatureColumn, valueKind, type ColumnProfile } from "./columns.ts";
import { analyseTarget, type TargetAnalysis } from "./target.ts";
import { isMissing } from "./values.ts";

export type { ColumnKind, ColumnProfile, FeatureKind } from "./columns.ts";
export type { TargetAnalysis } from "./target.ts";

/** Autopilot's minimum training set, and the engine's own caps on width and classes. */
export const INPUT_LIMITS = { minRows: 500, maxColumns: 1000, maxClasses: 2000 } as const;

export interface DataAnalysis {
  /** Rows with a target value: the rows the job learns from. */
  rows: number;
  /** Every input column in file order, the target included. */
  columns: ColumnProfile[];
  target: TargetAnalysis;
}

/** Profiles the columns and the target, and applies Autopilot's input rules. */
export function analyseTable(table: Table, targetName: string, problemType?: ProblemType): DataAnalysis {
  checkHeader(table.header);
  const targetIndex = findTarget(table.header, targetName);
  const targetValues = table.rows.map((row) => row[targetIndex]!);
  const target = analyseTarget(targetName, targetValues, problemType);
  const labelled = table.rows.filter((_, i) => !isMissing(targetValues[i]!));
  if (labelled.length < INPUT_LIMITS.minRows) {
    const without = target.missing > 0 ? ` (${target.missing} rows without a target value are not counted)` : "";
    throw new AutoMLInputError(`The data has ${labelled.length} usable rows${without}; Autopilot needs at least ${INPUT_LIMITS.minRows}. Add rows.`);
  }
  if (target.labels.length > INPUT_LIMITS.maxClasses) {
    throw new AutoMLInputError(`Target column "${targetName}" has ${target.labels.length} classes; at most ${INPUT_LIMITS.maxClasses} are supported.`);
  }
  const columns = table.header.map((name, c): ColumnProfile => {
    const values = labelled.map((row) => row[c]!);
    if (c !== targetIndex) return profileFeatureColumn(name, values);
    const { kind, missing, distinct } = valueKind(targetValues);
    return { name, kind, role: "target", missing, distinct: distinct.size };
  });
  if (!columns.some((column) => column.role === "feature")) {
    const reasons = columns.filter((column) => column.role === "dropped").map((column) => `"${column.name}" (${column.reason})`);
    throw new AutoMLInputError(`No column is usable as a feature: ${reasons.join(", ") || "the target is the only column"}.`);
  }
  return { rows: labelled.length, columns, target };
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

import { analyseTable, labelledRows, targetReader, valuesAt, type DataAnalysis } from "./analysis/index.ts";
import { encodeColumns, featureColumns } from "./encoding.ts";
import { AutoMLInputError } from "./errors.ts";
import type { MetricName } from "./metrics.ts";
import { checkInputRules, checkMinRows, checkProblemType, resolveObjective } from "./options.ts";
import { withPositiveClass } from "./positive-class.ts";
import { taskFor } from "./problem.ts";
import type { FitContext } from "./search/fit-task.ts";
import { scoredRows, type ScoredRows } from "./search/scored-rows.ts";
import { inSharedMemory } from "./search/shared-memory.ts";
import { CROSS_VALIDATION_FOLDS, makeValidationSplit, minRowsPerClass } from "./search/validation.ts";
import { columnsOfTable, readCsvColumns, type CsvFormat, type InputRules, type Table, type TextColumns } from "./table.ts";

export interface JobData {
  analysis: DataAnalysis;
  objective: MetricName;
  /** What every fit needs: encoded features, targets, the validation split. */
  context: FitContext;
  scored: ScoredRows;
}

export interface JobInput {
  csv?: string | Uint8Array;
  table?: Table;
  target: string;
  problemType?: string;
  objective?: string;
  minRows?: number;
  inputRules?: InputRules | string;
  /** A binary problem's positive class; the minority class when not given (see `withPositiveClass`). */
  positiveClass?: string;
}

/** Reads and analyses the training data (applying Autopilot's input rules). */
export function analyseJobData(input: JobInput): { table: TextColumns; analysis: DataAnalysis; objective: MetricName; folds: number } {
  const problemType = checkProblemType(input.problemType);
  const rules = checkInputRules(input.inputRules);
  const minRows = checkMinRows(input.minRows);
  const { table, format } = readTable(input, rules);
  const analysis = withPositiveClass(analyseTable(table, input.target, { ...(problemType && { problemType }), ...(minRows !== undefined && { minRows }), rules, ...(format && { format }) }), input.positiveClass);
  const objective = resolveObjective(input.objective, analysis.target.problemType);
  const { folds, decision } = validationFolds(analysis, rules);
  return { table, analysis: decision ? { ...analysis, decisions: [...analysis.decisions, decision] } : analysis, objective, folds };
}

/** Encodes the labelled rows and splits them for validation. */
export function prepareJobData({ table, analysis, objective, folds }: ReturnType<typeof analyseJobData>, seed: number): JobData {
  const { problemType, labels, name } = analysis.target;
  const targetValues = table.column(table.header.indexOf(name));
  const labelled = labelledRows(targetValues, analysis.target);
  const features = featureColumns(analysis.columns);
  const data = encodeColumns(labelled.length, features, (i) => valuesAt(table.column(table.header.indexOf(features[i]!.name)), labelled));
  const readTarget = targetReader(analysis.target);
  const y = Float64Array.from(labelled, (row) => readTarget(targetValues[row]!));
  const split = makeValidationSplit(problemType === "Regression" ? null : y, labelled.length, seed, folds);
  return { analysis, objective, context: inSharedMemory({ data, y, split, task: taskFor(problemType, labels.length), seed }), scored: scoredRows(split, y) };
}

function readTable(input: JobInput, rules: InputRules): { table: TextColumns; format?: CsvFormat } {
  if (input.table && input.csv !== undefined) throw new AutoMLInputError("Give the training data as either csv or table, not both.");
  if (input.table) return { table: columnsOfTable(input.table) };
  if (input.csv !== undefined) return readCsvColumns(input.csv, rules);
  throw new AutoMLInputError("No training data: give csv (CSV text with a header line) or table.");
}

/**
 * Folds of cross-validation: five, or under the engine's rules as many as the smallest class has
 * rows, since each stratified fold needs one of them; a class of one row cannot be both trained on
 * and validated. Under Autopilot's rules every class needs five rows (two under a holdout).
 */
function validationFolds(analysis: DataAnalysis, rules: InputRules): { folds: number; decision?: string } {
  const { classCounts, labels, name } = analysis.target;
  if (classCounts.length === 0) return { folds: CROSS_VALIDATION_FOLDS };
  const needed = minRowsPerClass(analysis.rows);
  const smallest = classCounts.indexOf(Math.min(...classCounts));
  const count = classCounts[smallest]!;
  if (count >= needed) return { folds: CROSS_VALIDATION_FOLDS };
  const holdout = needed < CROSS_VALIDATION_FOLDS;
  const rows = `${count} row${count === 1 ? "" : "s"}`;
  if (rules === "autopilot" || holdout || count < 2) {
    const [scheme, least] = rules === "autopilot" || holdout ? [holdout ? "a stratified holdout" : `stratified ${needed}-fold cross-validation`, needed] : ["stratified cross-validation", 2];
    throw new AutoMLInputError(
      `Class "${labels[smallest]}" of target "${name}" has only ${rows}; ${scheme} needs at least ${least} rows per class. Add rows of that class or remove them.`,
    );
  }
  return { folds: count, decision: `Validation: stratified ${count}-fold cross-validation rather than ${CROSS_VALIDATION_FOLDS}-fold, since class "${labels[smallest]}" has only ${rows}.` };
}

import { analyseTable, type DataAnalysis } from "./analysis/index.ts";
import { isMissing } from "./analysis/values.ts";
import { encodeFeatures, featureColumns } from "./encoding.ts";
import { AutoMLInputError } from "./errors.ts";
import type { MetricName } from "./metrics.ts";
import { checkProblemType, resolveObjective } from "./options.ts";
import { taskFor, type ProblemType } from "./problem.ts";
import type { FitContext } from "./search/fit-task.ts";
import { scoredRows, type ScoredRows } from "./search/scored-rows.ts";
import { makeValidationSplit, minRowsPerClass } from "./search/validation.ts";
import { tableFromCsv, type Table } from "./table.ts";

export interface JobData {
  analysis: DataAnalysis;
  objective: MetricName;
  /** What every fit needs: encoded features, targets, the validation split. */
  context: FitContext;
  scored: ScoredRows;
}

/** Reads and analyses the training data (applying Autopilot's input rules). */
export function analyseJobData(
  input: { csv?: string; table?: Table; target: string; problemType?: string; objective?: string },
): { table: Table; analysis: DataAnalysis; objective: MetricName } {
  const problemType = checkProblemType(input.problemType);
  const table = readTable(input);
  const analysis = analyseTable(table, input.target, problemType);
  const objective = resolveObjective(input.objective, analysis.target.problemType);
  checkClassSizes(analysis);
  return { table, analysis, objective };
}

/** Encodes the labelled rows and splits them for validation. */
export function prepareJobData({ table, analysis, objective }: ReturnType<typeof analyseJobData>, seed: number): JobData {
  const { problemType, labels, name } = analysis.target;
  const targetIndex = table.header.indexOf(name);
  const labelled = table.rows.filter((row) => !isMissing(row[targetIndex]!));
  const features = featureColumns(analysis.columns);
  const data = encodeFeatures(labelled, features, features.map((feature) => table.header.indexOf(feature.name)));
  const y = targetValues(labelled, targetIndex, problemType, labels);
  const split = makeValidationSplit(problemType === "Regression" ? null : y, labelled.length, seed);
  return { analysis, objective, context: { data, y, split, task: taskFor(problemType, labels.length), seed }, scored: scoredRows(split, y) };
}

function readTable(input: { csv?: string; table?: Table }): Table {
  if (input.table && input.csv !== undefined) throw new AutoMLInputError("Give the training data as either csv or table, not both.");
  if (input.table) return input.table;
  if (input.csv !== undefined) return tableFromCsv(input.csv);
  throw new AutoMLInputError("No training data: give csv (CSV text with a header line) or table.");
}

function checkClassSizes(analysis: DataAnalysis): void {
  const needed = minRowsPerClass(analysis.rows);
  const scheme = needed > 2 ? `stratified ${needed}-fold cross-validation` : "a stratified holdout";
  analysis.target.classCounts.forEach((count, c) => {
    if (count < needed) {
      throw new AutoMLInputError(
        `Class "${analysis.target.labels[c]}" of target "${analysis.target.name}" has only ${count} row${count === 1 ? "" : "s"}; ` +
          `${scheme} needs at least ${needed} rows per class. Add rows of that class or remove them.`,
      );
    }
  });
}

function targetValues(rows: readonly string[][], targetIndex: number, problemType: ProblemType, labels: readonly string[]): Float64Array {
  if (problemType === "Regression") return Float64Array.from(rows, (row) => Number(row[targetIndex]!.trim()));
  const classOf = new Map(labels.map((label, index) => [label, index]));
  return Float64Array.from(rows, (row) => classOf.get(row[targetIndex]!.trim())!);
}

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toCsv, type FeaturesAndTruth, type Table } from "./data-set.ts";
import type { Prediction } from "./predict.ts";

/** The test rows as the endpoint (or a transform job) answered them, row for row: what the predictions table and its CSV show. */
export interface TestPredictions extends FeaturesAndTruth {
  /** The target column's name, which heads the truth. */
  target: string;
  predictions: Prediction[];
  /** Who answered, as the table's caption says it: "the endpoint" when not given. */
  predictedBy?: string;
}

/** Classification answers carry each class's probability, in the order of their `labels`. */
const classesOf = (test: TestPredictions) => test.predictions[0]?.labels;

const isWrong = (test: TestPredictions, row: number) => classesOf(test) !== undefined && test.predictions[row]!.label !== test.truth[row];

/** Every test row's answer as a table: the truth, predicted_label, the class probabilities (or a regression's error), and whether it was right. */
export function answersTable(test: TestPredictions): Table {
  const classes = classesOf(test);
  const header = ["test row", test.target, "predicted_label", ...(classes ? [...classes.map((label) => `probability ${label}`), "correct"] : ["error"])];
  const rows = test.predictions.map((prediction, row) => {
    const truth = test.truth[row]!;
    const scores = classes ? [...(prediction.probabilities ?? []).map((p) => p.toFixed(4)), isWrong(test, row) ? "no" : "yes"] : [String(Number(prediction.label) - Number(truth))];
    return [String(row + 1), truth, prediction.label, ...scores];
  });
  return { header, rows };
}

/** What the predictions table shows of the test rows, said in a sentence; the text and HTML renderings share it. */
export interface PredictionsPreview {
  caption: string;
  header: string[];
  rows: { wrong: boolean; cells: string[] }[];
}

/**
 * The first `first` test rows, then up to `moreWrong` misclassified rows after them, so that some
 * mistakes are always in view; a classification's wrong rows are marked ✗.
 */
export function predictionsPreview(test: TestPredictions, first = 10, moreWrong = 5): PredictionsPreview {
  const table = answersTable(test);
  const wrong = test.predictions.map((_, row) => row).filter((row) => isWrong(test, row));
  const total = test.predictions.length;
  const wrongAfter = wrong.filter((row) => row >= first).slice(0, moreWrong);
  const shown = [...Array(Math.min(first, total)).keys(), ...wrongAfter];
  const mistakes = classesOf(test)
    ? `; ${wrong.length} of ${total} misclassified (✗)${wrongAfter.length ? `, the next ${wrongAfter.length} of them added below` : ""}`
    : "";
  return {
    caption: `the first ${Math.min(first, total)} of ${total} test rows as ${test.predictedBy ?? "the endpoint"} predicted them${mistakes}`,
    header: ["", ...table.header.filter((name) => name !== "correct")],
    rows: shown.map((row) => ({ wrong: isWrong(test, row), cells: table.rows[row]!.filter((_, column) => table.header[column] !== "correct") })),
  };
}

/** Writes every test row with its features and the answer as `fileName` (predictions.csv; with a header) into `dir`; returns its path. */
export function writePredictionsCsv(dir: string, test: TestPredictions, fileName = "predictions.csv"): string {
  const answers = answersTable(test);
  const table = { header: [...test.features.header, ...answers.header.slice(1)], rows: answers.rows.map((row, i) => [...test.features.rows[i]!, ...row.slice(1)]) };
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeFileSync(path, toCsv(table, true));
  return path;
}

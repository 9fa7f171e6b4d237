import { parseArtifact, type AutoMLArtifact, type InputColumn } from "./artifact.ts";
import { isMissing, parseNumber } from "./analysis/values.ts";
import { parseCsv, sniffDelimiter } from "./csv.ts";
import { encodeFeatures, featureColumns } from "./encoding.ts";
import { AutoMLInputError } from "./errors.ts";
import { loadPredictor, type Predictor } from "./predictor.ts";
import { taskFor, type ProblemType } from "./problem.ts";
import { predictedClasses } from "./metrics.ts";
import { checkRowWidths, type Table } from "./table.ts";
import { decodeText } from "./text-encoding.ts";

/** One row's answer, as Autopilot's inference containers give it. */
export interface Prediction {
  predicted_label: string;
  /**
   * Binary: P(positive class = labels[1]); multiclass: the predicted label's probability. The
   * probabilities are calibrated; a binary label comes from the model's decision threshold, so a
   * row can be labelled positive with a probability below 0.5 (see `decisionThreshold`).
   */
  probability?: number;
  probabilities?: number[];
  labels?: string[];
}

/** Rows to predict: under a header (columns matched by name), or bare in the training column order. */
export type PredictionInput = Table | string[][];

export interface AutoMLModel {
  artifact: AutoMLArtifact;
  predict(input: PredictionInput): Prediction[];
}

export function loadArtifact(json: string | object): AutoMLModel {
  const artifact = parseArtifact(json);
  const predictor = loadPredictor(artifact.predictor);
  return { artifact, predict: (input) => predictWith(artifact, predictor, input) };
}

export function predict(model: AutoMLModel, input: PredictionInput): Prediction[] {
  return model.predict(input);
}

/**
 * Reads prediction rows from CSV (text, or a file's bytes, whose encoding is detected as for
 * training; the delimiter too). The first line is a header when it names any of the training
 * columns: the columns are then matched by name, in any order, and other columns are ignored
 * (`ignoredColumns` lists them). Otherwise the rows are bare, in training order, exactly as wide
 * as the training columns with or without the target. A first line that names none of the
 * model's columns but reads as a header (text where the model reads numbers, numbers below it) is
 * refused rather than scored as a row.
 */
export function readPredictionCsv(artifact: AutoMLArtifact, csv: string | Uint8Array): PredictionInput {
  const text = typeof csv === "string" ? csv : decodeText(csv, "The prediction data").text;
  const lines = parseCsv(text, sniffDelimiter(text) ?? ",");
  const first = lines[0];
  if (!first) throw new AutoMLInputError("The prediction data is empty: expected rows, with or without a header line naming the model's columns.");
  const names = new Set(artifact.inputColumns.map((column) => column.name));
  if (first.some((field) => names.has(field))) return { header: first, rows: lines.slice(1) };
  const layout = positionalLayout(artifact.inputColumns, first.length);
  const featureNames = featureColumns(artifact.inputColumns).map((feature) => `"${feature.name}"`).join(", ");
  if (!layout) {
    throw new AutoMLInputError(
      `The first line names none of the model's columns (${featureNames}), so the rows are read without a header, in training order; ` +
        `they have ${first.length} fields but the model expects ${expectedWidths(artifact.inputColumns)}. Add a header line naming the columns.`,
    );
  }
  if (looksLikeHeader(layout, lines)) {
    throw new AutoMLInputError(
      `The first line reads as a header (${first.map((field) => `"${field}"`).join(", ")}) but names none of the model's columns (${featureNames}). ` +
        "Name the columns as in training, or leave the header out.",
    );
  }
  return lines;
}

/** The header's columns that are not training columns: ignored when predicting. */
export function ignoredColumns(artifact: AutoMLArtifact, input: PredictionInput): string[] {
  if (Array.isArray(input)) return [];
  const names = new Set(artifact.inputColumns.map((column) => column.name));
  return input.header.filter((name) => !names.has(name));
}

/**
 * A first line whose fields are all text where the model reads numbers, above a line with a
 * number in one of those places, is a header; without numeric features no line can be told from a header.
 */
function looksLikeHeader(layout: readonly InputColumn[], lines: readonly string[][]): boolean {
  const numeric = layout.flatMap((column, field) => (column.role === "feature" && column.kind === "numeric" ? [field] : []));
  const isNumber = (field: string | undefined) => field !== undefined && !Number.isNaN(parseNumber(field));
  const [first, second] = lines;
  return numeric.length > 0 && second !== undefined && numeric.every((field) => !isMissing(first![field]!) && !isNumber(first![field])) && numeric.some((field) => isNumber(second[field]));
}

function predictWith(artifact: AutoMLArtifact, predictor: Predictor, input: PredictionInput): Prediction[] {
  const features = featureColumns(artifact.inputColumns);
  const { rows, fieldIndex } = locateRows(artifact.inputColumns, input);
  const scores = scoreRows(artifact.problemType, artifact.labels.length, predictor.predict(encodeFeatures(rows, features, fieldIndex)), rows.length, artifact.decisionThreshold);
  return scores.map((score) => describe(artifact, score));
}

/** Where each feature sits in the rows: by name under a header, by position in bare rows. */
export function locateRows(columns: readonly InputColumn[], input: PredictionInput): { rows: string[][]; fieldIndex: number[] } {
  return Array.isArray(input) ? locateByPosition(columns, input) : locateByName(featureColumns(columns).map((f) => f.name), input);
}

function locateByName(featureNames: string[], table: Table): { rows: string[][]; fieldIndex: number[] } {
  const missing = featureNames.filter((name) => !table.header.includes(name));
  if (missing.length > 0) throw new AutoMLInputError(`The rows lack the model's input columns ${missing.map((name) => `"${name}"`).join(", ")}.`);
  checkRowWidths(table.header.length, table.rows, 2);
  return { rows: table.rows, fieldIndex: featureNames.map((name) => table.header.indexOf(name)) };
}

/** Bare rows hold every training column, or every one but the target, in training order. */
function locateByPosition(columns: readonly InputColumn[], rows: string[][]): { rows: string[][]; fieldIndex: number[] } {
  const width = rows[0]?.length ?? columns.filter((column) => column.role !== "target").length;
  const layout = positionalLayout(columns, width);
  if (!layout) throw new AutoMLInputError(`Rows have ${width} fields; the model expects ${expectedWidths(columns)}.`);
  checkRowWidths(width, rows, 1);
  const fieldIndex = layout.flatMap((column, field) => (column.role === "feature" ? [field] : []));
  return { rows, fieldIndex };
}

/** The training columns a bare row of this width holds: all of them, or all but the target. */
function positionalLayout(columns: readonly InputColumn[], width: number): readonly InputColumn[] | undefined {
  const withoutTarget = columns.filter((column) => column.role !== "target");
  return width === columns.length ? columns : width === withoutTarget.length ? withoutTarget : undefined;
}

function expectedWidths(columns: readonly InputColumn[]): string {
  const withoutTarget = columns.filter((column) => column.role !== "target").length;
  return withoutTarget === columns.length ? `${columns.length}` : `${withoutTarget} (the training columns without the target, in training order) or ${columns.length} (with it)`;
}

/**
 * A row's score: the predicted class index (classification) or value (regression), and the
 * class probabilities in label order (classification).
 */
export interface RowScore {
  predicted: number;
  probabilities?: number[];
}

/** The learners' raw output (see `TrainedModel.predict`) as one score per row; binary labels by the decision threshold (0.5 when absent). */
export function scoreRows(problemType: ProblemType, classes: number, output: Float64Array, rows: number, decisionThreshold?: number): RowScore[] {
  if (problemType === "Regression") return Array.from(output, (value) => ({ predicted: value }));
  const task = taskFor(problemType, classes);
  const predicted = predictedClasses(output, task, decisionThreshold);
  return Array.from({ length: rows }, (_, row) => ({
    predicted: predicted[row]!,
    probabilities: task.kind === "binary" ? [1 - output[row]!, output[row]!] : Array.from(output.subarray(row * classes, (row + 1) * classes)),
  }));
}

function describe(artifact: AutoMLArtifact, score: RowScore): Prediction {
  const { labels, problemType } = artifact;
  if (!score.probabilities) return { predicted_label: String(score.predicted) };
  const probability = problemType === "BinaryClassification" ? score.probabilities[1]! : score.probabilities[score.predicted]!;
  return { predicted_label: labels[score.predicted]!, probability, probabilities: score.probabilities, labels };
}

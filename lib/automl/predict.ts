import { parseArtifact, type AutoMLArtifact, type InputColumn } from "./artifact.ts";
import { parseCsv } from "./csv.ts";
import { encodeFeatures, featureColumns } from "./encoding.ts";
import { AutoMLInputError } from "./errors.ts";
import { loadPredictor, type Predictor } from "./predictor.ts";
import { taskFor, type ProblemType } from "./problem.ts";
import { predictedClasses } from "./metrics.ts";
import { checkRowWidths, type Table } from "./table.ts";

/** One row's answer, as Autopilot's inference containers give it. */
export interface Prediction {
  predicted_label: string;
  /** Binary: P(positive class = labels[1]); multiclass: the predicted label's probability. */
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
 * Reads prediction rows from CSV with or without a header: the first line is a header when its
 * fields are the names of training columns and it holds every feature column.
 */
export function readPredictionCsv(artifact: AutoMLArtifact, csv: string): PredictionInput {
  const lines = parseCsv(csv);
  const first = lines[0];
  const names = new Set(artifact.inputColumns.map((column) => column.name));
  const isHeader = first !== undefined && first.every((field) => names.has(field)) && featureColumns(artifact.inputColumns).every((f) => first.includes(f.name));
  return isHeader ? { header: first, rows: lines.slice(1) } : lines;
}

function predictWith(artifact: AutoMLArtifact, predictor: Predictor, input: PredictionInput): Prediction[] {
  const features = featureColumns(artifact.inputColumns);
  const { rows, fieldIndex } = locateRows(artifact.inputColumns, input);
  const scores = scoreRows(artifact.problemType, artifact.labels.length, predictor.predict(encodeFeatures(rows, features, fieldIndex)), rows.length);
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
  const withoutTarget = columns.filter((column) => column.role !== "target");
  const width = rows[0]?.length ?? withoutTarget.length;
  const layout = width === columns.length ? columns : width === withoutTarget.length ? withoutTarget : undefined;
  if (!layout) {
    const expected = withoutTarget.length === columns.length ? `${columns.length}` : `${withoutTarget.length} (the training columns without the target, in training order) or ${columns.length} (with it)`;
    throw new AutoMLInputError(`Rows have ${width} fields; the model expects ${expected}.`);
  }
  checkRowWidths(width, rows, 1);
  const fieldIndex = layout.flatMap((column, field) => (column.role === "feature" ? [field] : []));
  return { rows, fieldIndex };
}

/**
 * A row's score: the predicted class index (classification) or value (regression), and the
 * class probabilities in label order (classification).
 */
export interface RowScore {
  predicted: number;
  probabilities?: number[];
}

/** The learners' raw output (see `TrainedModel.predict`) as one score per row. */
export function scoreRows(problemType: ProblemType, classes: number, output: Float64Array, rows: number): RowScore[] {
  if (problemType === "Regression") return Array.from(output, (value) => ({ predicted: value }));
  const task = taskFor(problemType, classes);
  const predicted = predictedClasses(output, task);
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

import { parseArtifact, type AutoMLArtifact, type InputColumn } from "./artifact.ts";
import { parseCsv } from "./csv.ts";
import { encodeFeatures, featureColumns } from "./encoding.ts";
import { AutoMLInputError } from "./errors.ts";
import { loadPredictor, type Predictor } from "./predictor.ts";
import { taskFor } from "./problem.ts";
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
  const { rows, fieldIndex } = Array.isArray(input) ? locateByPosition(artifact.inputColumns, input) : locateByName(features.map((f) => f.name), input);
  const output = predictor.predict(encodeFeatures(rows, features, fieldIndex));
  return describeOutput(artifact, output, rows.length);
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
    throw new AutoMLInputError(
      `Rows have ${width} fields; the model expects ${withoutTarget.length} (the training columns without the target, in training order) or ${columns.length} (with it).`,
    );
  }
  checkRowWidths(width, rows, 1);
  const fieldIndex = layout.flatMap((column, field) => (column.role === "feature" ? [field] : []));
  return { rows, fieldIndex };
}

function describeOutput(artifact: AutoMLArtifact, output: Float64Array, rows: number): Prediction[] {
  const { labels, problemType } = artifact;
  if (problemType === "Regression") return Array.from(output, (value) => ({ predicted_label: String(value) }));
  const task = taskFor(problemType, labels.length);
  const classes = predictedClasses(output, task);
  const k = labels.length;
  return Array.from({ length: rows }, (_, row) => {
    const probabilities = task.kind === "binary" ? [1 - output[row]!, output[row]!] : Array.from(output.subarray(row * k, (row + 1) * k));
    const predicted = classes[row]!;
    const probability = task.kind === "binary" ? output[row]! : probabilities[predicted]!;
    return { predicted_label: labels[predicted]!, probability, probabilities, labels };
  });
}

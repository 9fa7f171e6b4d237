import { parseCsv } from "../automl/csv.ts";
import type { Prediction } from "./predict.ts";

// A transform job's output with `JoinSource Input`, `Accept text/csv` and `AssembleWith Line`: per
// input row, one line holding the row's fields and then the answer's, one per inference key in the
// order of SAGEMAKER_INFERENCE_OUTPUT. Lists are written as Autopilot's containers print them:
// probabilities as [0.1, 0.9], labels as ['False.', 'True.'] (a CSV field, quoted for its commas).

/** The object a transform job writes for an input object: its name with `.out` (AWS's "Run batch inference jobs" page). */
export function transformOutputKey(outputPrefix: string, inputKey: string): string {
  return `${outputPrefix}${inputKey.slice(inputKey.lastIndexOf("/") + 1)}.out`;
}

/** Reads a list of numbers printed as [0.1, 0.9]. */
function numberList(field: string, where: string): number[] {
  const inner = /^\s*\[(.*)\]\s*$/s.exec(field)?.[1];
  const values = inner?.trim() ? inner.split(",").map((item) => Number(item.trim() || Number.NaN)) : [];
  if (values.length === 0 || values.some(Number.isNaN)) throw new Error(`${where}: probabilities "${field}" is not a list of numbers like [0.1, 0.9]`);
  return values;
}

/** Reads a list of strings as Python prints one: ['a', "b's"], with backslash escapes. */
function stringList(field: string, where: string): string[] {
  const fail = () => new Error(`${where}: labels "${field}" is not a list of quoted labels like ['False.', 'True.']`);
  const text = field.trim();
  if (!text.startsWith("[") || !text.endsWith("]")) throw fail();
  const items: string[] = [];
  let position = 1;
  const skipSpaces = () => {
    while (text[position] === " ") position++;
  };
  skipSpaces();
  while (position < text.length - 1) {
    const quote = text[position];
    if (quote !== "'" && quote !== '"') throw fail();
    let item = "";
    position++;
    while (text[position] !== quote) {
      if (position >= text.length - 1) throw fail();
      if (text[position] === "\\") position++;
      item += text[position];
      position++;
    }
    items.push(item);
    position++;
    skipSpaces();
    if (text[position] === ",") {
      position++;
      skipSpaces();
    } else if (position !== text.length - 1) throw fail();
  }
  if (items.length === 0) throw fail();
  return items;
}

/**
 * The predictions in a joined output, row for row with `inputRows` (features, as sent): each line
 * must begin with its input row's fields, in order, then hold one field per key of `keys` (the
 * model's SAGEMAKER_INFERENCE_OUTPUT; none for a regression model's default `predicted_label`).
 */
export function parseJoinedOutput(csv: string, inputRows: readonly (readonly string[])[], keys: readonly string[]): Prediction[] {
  const lines = parseCsv(csv);
  if (lines.length !== inputRows.length) throw new Error(`the transform job wrote ${lines.length} line(s) for ${inputRows.length} input row(s)`);
  const answerFields = Math.max(keys.length, 1);
  return lines.map((fields, i) => {
    const input = inputRows[i]!;
    const where = `output line ${i + 1}`;
    if (fields.length !== input.length + answerFields) throw new Error(`${where} has ${fields.length} fields; its input row's ${input.length} and ${answerFields} answer field(s) were expected`);
    const differing = input.findIndex((value, column) => fields[column] !== value);
    if (differing >= 0) throw new Error(`${where} is not joined to input row ${i + 1}: field ${differing + 1} is "${fields[differing]}", the row's is "${input[differing]}"`);
    const answer = fields.slice(input.length);
    if (keys.length === 0) return { label: answer[0]! };
    const field = (key: string) => answer[keys.indexOf(key)];
    const label = field("predicted_label");
    if (label === undefined || label === "") throw new Error(`${where}: no predicted_label`);
    const probabilities = field("probabilities");
    const labels = field("labels");
    if (probabilities === undefined || labels === undefined) return { label };
    const prediction = { label, probabilities: numberList(probabilities, where), labels: stringList(labels, where) };
    if (prediction.probabilities.length !== prediction.labels.length) throw new Error(`${where}: ${prediction.probabilities.length} probabilities for ${prediction.labels.length} labels`);
    return prediction;
  });
}

/** How two sets of predictions of the same rows compare: the rows (1-based) whose label, labels or probabilities differ. */
export interface PredictionAgreement {
  rows: number;
  differing: number[];
}

/** Probabilities printed in CSV and in JSON by the same container read back equal; this allows for a last-digit difference between two printings. */
const PROBABILITY_TOLERANCE = 1e-9;

export function comparePredictions(first: readonly Prediction[], second: readonly Prediction[]): PredictionAgreement {
  if (first.length !== second.length) throw new Error(`${first.length} predictions against ${second.length}: not the same rows`);
  const same = (a: Prediction, b: Prediction) =>
    a.label === b.label &&
    (a.labels ?? []).join("\u0000") === (b.labels ?? []).join("\u0000") &&
    (a.probabilities ?? []).length === (b.probabilities ?? []).length &&
    (a.probabilities ?? []).every((p, i) => Math.abs(p - b.probabilities![i]!) <= PROBABILITY_TOLERANCE);
  return { rows: first.length, differing: first.flatMap((prediction, i) => (same(prediction, second[i]!) ? [] : [i + 1])) };
}

/** The agreement in a line: every row, or how many differ and the first of them. */
export function describeAgreement(agreement: PredictionAgreement): string {
  const { rows, differing } = agreement;
  if (differing.length === 0) return `the transform job and the endpoint agree on all ${rows} rows (label and every probability)`;
  return `the transform job and the endpoint disagree on ${differing.length} of ${rows} rows (rows ${differing.slice(0, 5).join(", ")}${differing.length > 5 ? ", …" : ""})`;
}

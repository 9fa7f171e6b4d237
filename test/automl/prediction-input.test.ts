import { beforeAll, describe, expect, it } from "vitest";
import { AutoMLInputError, ignoredColumns, loadArtifact, predict, readPredictionCsv, runAutoML, type AutoMLModel } from "../../lib/automl/index.ts";
import { formatCsvRow, parseCsv } from "../../lib/automl/csv.ts";
import { binaryCsv } from "./fixtures.ts";

/** CSV text from a header and rows. */
const csvOf = (lines: readonly (readonly string[])[]) => lines.map((line) => formatCsvRow(line)).join("\n");

describe("prediction rows matched to the model's columns", () => {
  let model: AutoMLModel;
  const [header, ...rows] = parseCsv(binaryCsv(40, 42));
  const features = rows.map((row) => row.slice(0, 6));
  let expected: ReturnType<AutoMLModel["predict"]>;
  beforeAll(async () => {
    const result = await runAutoML({ csv: binaryCsv(300), target: "churned", minRows: 100, maxCandidates: 1, ensembling: "none", seed: 5 });
    model = loadArtifact(JSON.stringify(result.best.artifact));
    expected = predict(model, features);
  });
  const read = (lines: readonly (readonly string[])[]) => readPredictionCsv(model.artifact, csvOf(lines));

  it("reads a header with an extra column last by name: one answer per row, the extra column listed as ignored", () => {
    const input = read([[...header!, "row_id"], ...rows.map((row, i) => [...row, String(i)])]);
    expect(ignoredColumns(model.artifact, input)).toEqual(["row_id"]);
    expect(predict(model, input)).toEqual(expected);
  });

  it("reads a header with an extra column first by name, not shifting the features", () => {
    const input = read([["row_id", ...header!.slice(0, 6)], ...features.map((row, i) => [String(i), ...row])]);
    expect(ignoredColumns(model.artifact, input)).toEqual(["row_id"]);
    expect(predict(model, input)).toEqual(expected);
  });

  it("reads reordered columns by name", () => {
    const order = [3, 0, 5, 1, 4, 2];
    const input = read([order.map((c) => header![c]!), ...features.map((row) => order.map((c) => row[c]!))]);
    expect(ignoredColumns(model.artifact, input)).toEqual([]);
    expect(predict(model, input)).toEqual(expected);
  });

  it("names the feature columns a header lacks", () => {
    const input = read([["customer", "usage", "calls", "color"], ...rows.map((row) => [row[0]!, row[1]!, row[2]!, row[4]!])]);
    expect(() => predict(model, input)).toThrow(new AutoMLInputError('The rows lack the model\'s input columns "plan".'));
  });

  it("reads rows without a header by position, only at the training width with or without the target", () => {
    expect(predict(model, read(features))).toEqual(expected);
    expect(predict(model, read(rows))).toEqual(expected);
    expect(() => read(features.map((row) => row.slice(1)))).toThrow(
      new AutoMLInputError(
        'The first line names none of the model\'s columns ("usage", "calls", "plan", "color"), so the rows are read without a header, in training order; ' +
          "they have 5 fields but the model expects 6 (the training columns without the target, in training order) or 7 (with it). Add a header line naming the columns.",
      ),
    );
  });

  it("refuses a header naming none of the model's columns rather than scoring it as a row", () => {
    const renamed = ["Customer ID", "Usage", "Calls", "Plan", "Colour", "Region"];
    expect(() => read([renamed, ...features])).toThrow(
      new AutoMLInputError(
        'The first line reads as a header ("Customer ID", "Usage", "Calls", "Plan", "Colour", "Region") but names none of the model\'s columns ("usage", "calls", "plan", "color"). ' +
          "Name the columns as in training, or leave the header out.",
      ),
    );
  });

  it("refuses an empty file, and answers nothing for a header without rows", () => {
    for (const empty of ["", "\n\n", new Uint8Array(0)]) {
      expect(() => readPredictionCsv(model.artifact, empty)).toThrow(
        new AutoMLInputError("The prediction data is empty: expected rows, with or without a header line naming the model's columns."),
      );
    }
    expect(predict(model, read([header!]))).toEqual([]);
  });

  it("reads a prediction file's bytes and delimiter as training does", () => {
    const semicolons = [header!.join(";"), ...rows.map((row) => row.join(";"))].join("\r\n");
    expect(predict(model, readPredictionCsv(model.artifact, Buffer.from(`\ufeff${semicolons}`, "utf8")))).toEqual(expected);
  });
});

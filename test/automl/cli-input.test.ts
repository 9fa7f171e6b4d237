import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../lib/automl/csv.ts";
import { automl } from "./cli-run.ts";
import { binaryCsv, multiclassCsv } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "automl-cli-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("automl CLI: minimum rows", () => {
  const data = file("small.csv", binaryCsv(300));

  it("refuses fewer than 500 rows by default, naming --min-rows", () => {
    const run = automl("train", "--data", data, "--target", "churned", "--out", join(dir, "refused"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("automl: The data has 300 usable rows; at least 500 are needed, as Autopilot needs. Add rows, or lower minRows (--min-rows on the command line).");
  });

  it("trains on 300 rows with --min-rows 100 and predicts them", () => {
    const out = join(dir, "small-model");
    const run = automl("train", "--data", data, "--target", "churned", "--min-rows", "100", "--max-candidates", "2", "--out", out);
    expect(run.stderr).toContain("[AnalyzingData] Read 300 rows of 7 columns, as UTF-8, comma-separated.");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("5-fold cross-validation on 300 rows");
    const predicted = automl("predict", "--model", out, "--data", data);
    expect(predicted.code).toBe(0);
    const [columns, ...answers] = parseCsv(predicted.stdout);
    expect(columns).toEqual(["predicted_label", "probability"]);
    const truth = parseCsv(binaryCsv(300)).slice(1).map((row) => row[6]);
    expect(answers).toHaveLength(300);
    const accuracy = answers.filter((answer, i) => answer[0] === truth[i]).length / answers.length;
    expect(accuracy).toBeGreaterThan(0.8);
  });
});

describe("automl CLI: prediction files", () => {
  const out = join(dir, "multiclass-model");
  const [header, ...rows] = parseCsv(multiclassCsv(60, 9));
  beforeAll(() => {
    const run = automl("train", "--data", file("multiclass.csv", multiclassCsv(200)), "--target", "species", "--min-rows", "100", "--max-candidates", "1", "--out", out);
    expect(run.code, run.stderr).toBe(0);
  });

  it("writes every class's probability on request, the header naming each class, or no header at all", () => {
    const data = file("rows.csv", [header!.join(","), ...rows.map((row) => row.join(","))].join("\n"));
    const run = automl("predict", "--model", out, "--data", data, "--probabilities");
    expect(run.code).toBe(0);
    const [columns, ...answers] = parseCsv(run.stdout);
    expect(columns).toEqual(["predicted_label", "probability", "probability_setosa", "probability_versicolor", "probability_virginica"]);
    expect(answers).toHaveLength(60);
    for (const [label, probability, ...perClass] of answers) {
      const values = perClass.map(Number);
      expect(values.reduce((a, b) => a + b)).toBeCloseTo(1, 9);
      expect(Number(probability)).toBe(Math.max(...values));
      expect(label).toBe(["setosa", "versicolor", "virginica"][values.indexOf(Math.max(...values))]);
    }
    const bare = automl("predict", "--model", out, "--data", data, "--probabilities", "--no-header");
    expect(bare.stdout).toBe(run.stdout.slice(run.stdout.indexOf("\n") + 1));
  });

  it("warns on stderr about columns it ignores, and scores the rest by name", () => {
    const data = file("extra.csv", [["row_id", ...header!].join(","), ...rows.map((row, i) => [String(i), ...row].join(","))].join("\n"));
    const run = automl("predict", "--model", out, "--data", data);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('automl: ignoring columns the model was not trained on: "row_id"\n');
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(61);
  });

  it("exits 1 on an empty prediction file or one lacking a column, naming what is wrong", () => {
    const empty = automl("predict", "--model", out, "--data", file("empty.csv", ""));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("automl: The prediction data is empty: expected rows, with or without a header line naming the model's columns.\n");
    const lacking = automl("predict", "--model", out, "--data", file("lacking.csv", ["a,noise", ...rows.map((row) => `${row[0]},${row[2]}`)].join("\n")));
    expect(lacking.code).toBe(1);
    expect(lacking.stderr).toBe('automl: The rows lack the model\'s input columns "b".\n');
  });
});

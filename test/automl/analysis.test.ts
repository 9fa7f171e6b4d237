import { describe, expect, it } from "vitest";
import { analyseTable } from "../../lib/automl/analysis/index.ts";
import { isMissing, parseBoolean, parseNumber } from "../../lib/automl/analysis/values.ts";
import { AutoMLInputError } from "../../lib/automl/errors.ts";
import { tableFromCsv, type Table } from "../../lib/automl/table.ts";
import { binaryCsv } from "./fixtures.ts";

/** A table of `rows` rows with one feature and the given target values, cycled. */
function tableWithTarget(targets: readonly string[], rows = 600): Table {
  return { header: ["x", "target"], rows: Array.from({ length: rows }, (_, i) => [String(i % 37), targets[i % targets.length]!]) };
}

function problemTypeOf(targets: readonly string[]): string {
  return analyseTable(tableWithTarget(targets), "target").target.problemType;
}

describe("column analysis", () => {
  const analysis = analyseTable(tableFromCsv(binaryCsv(600)), "churned");
  const column = (name: string) => analysis.columns.find((c) => c.name === name)!;

  it("types numbers, yes/no flags and categories, and counts missing values", () => {
    expect(column("usage")).toMatchObject({ kind: "numeric", role: "feature" });
    expect(column("usage").missing).toBeGreaterThan(0);
    expect(column("calls")).toMatchObject({ kind: "numeric", role: "feature", missing: 0, distinct: 8 });
    expect(column("plan")).toMatchObject({ kind: "boolean", role: "feature", distinct: 2 });
    expect(column("color")).toMatchObject({ kind: "categorical", role: "feature", distinct: 4 });
  });

  it("drops an ID-like column (unique text per row) and a constant column, saying why", () => {
    expect(column("customer")).toMatchObject({ kind: "id", role: "dropped", reason: "ID-like: 600 distinct values in 600 rows" });
    expect(column("region")).toMatchObject({ kind: "constant", role: "dropped", reason: "it holds a single value" });
  });

  it("takes a column of consecutive integers, one per row, for a row number", () => {
    const table: Table = { header: ["row", "x", "y"], rows: Array.from({ length: 500 }, (_, i) => [String(i + 1), String(i % 7), i % 2 ? "a" : "b"]) };
    expect(analyseTable(table, "y").columns[0]).toMatchObject({ kind: "id", role: "dropped" });
  });

  it("keeps the target apart and describes it", () => {
    expect(column("churned")).toMatchObject({ kind: "boolean", role: "target" });
    expect(analysis.target).toMatchObject({ problemType: "BinaryClassification", problemTypeInferred: true, labels: ["no", "yes"] });
    expect(analysis.target.classCounts.reduce((a, b) => a + b)).toBe(600);
  });

  it("leaves out rows without a target value and counts them", () => {
    const table = tableWithTarget(["a", "b", "c", "", "a", "b"], 700);
    const result = analyseTable(table, "target");
    // Rows 3, 9, 15, ..., 699 have no target: 117 of them.
    expect(result.target.missing).toBe(117);
    expect(result.rows).toBe(700 - 117);
  });
});

describe("problem type inference", () => {
  it("calls two labels binary, whatever they are", () => {
    expect(problemTypeOf(["True.", "False."])).toBe("BinaryClassification");
    expect(problemTypeOf(["0", "1"])).toBe("BinaryClassification");
  });

  it("calls more text labels, or a few integers, multiclass", () => {
    expect(problemTypeOf(["cat", "dog", "bird"])).toBe("MulticlassClassification");
    expect(problemTypeOf(["1", "2", "3", "4", "5"])).toBe("MulticlassClassification");
  });

  it("calls fractional numbers or many distinct integers regression", () => {
    expect(problemTypeOf(["1.5", "2.25", "3"])).toBe("Regression");
    expect(problemTypeOf(Array.from({ length: 50 }, (_, i) => String(i)))).toBe("Regression");
  });

  it("sorts labels numerically when they are numbers, by code unit otherwise", () => {
    expect(analyseTable(tableWithTarget(["10", "9", "100"]), "target").target.labels).toEqual(["9", "10", "100"]);
    expect(analyseTable(tableWithTarget(["b", "B", "a"]), "target").target.labels).toEqual(["B", "a", "b"]);
  });

  it("honours a given problem type that fits the data", () => {
    const result = analyseTable(tableWithTarget(["1", "2", "3"]), "target", { problemType: "Regression" });
    expect(result.target).toMatchObject({ problemType: "Regression", problemTypeInferred: false, labels: [] });
  });
});

describe("input rules", () => {
  const refuse = (table: Table, target: string, message: string, options?: Parameters<typeof analyseTable>[2]) =>
    expect(() => analyseTable(table, target, options)).toThrow(new AutoMLInputError(message));

  it("needs the target column, suggesting a near match", () => {
    refuse(tableWithTarget(["a", "b"]), "Target", 'Target column "Target" is not in the header ("x", "target"). Did you mean "target"?');
  });

  it("needs at least 500 rows with a target, or minRows", () => {
    const autopilot = { rules: "autopilot" } as const;
    refuse(tableWithTarget(["a", "b"], 499), "target", "The data has 499 usable rows; Autopilot needs at least 500. Add rows.", autopilot);
    refuse(tableWithTarget(["a", "b", ""], 600), "target", "The data has 400 usable rows (200 rows without a target value are not counted); Autopilot needs at least 500. Add rows.", autopilot);
    refuse(tableWithTarget(["a", "b"], 499), "target", "The data has 499 usable rows; at least 500 are needed, as Autopilot needs. Add rows, or lower minRows (--min-rows on the command line).");
    refuse(tableWithTarget(["a", "b"], 99), "target", "The data has 99 usable rows; minRows is 100. Add rows, or lower minRows (--min-rows on the command line).", { minRows: 100 });
    expect(analyseTable(tableWithTarget(["a", "b"], 100), "target", { minRows: 100 }).rows).toBe(100);
  });

  it("needs two distinct target values", () => {
    refuse(tableWithTarget(["same"]), "target", 'Target column "target" has a single value; it needs at least two distinct values to learn from.');
  });

  it("refuses a problem type the target does not fit", () => {
    refuse(tableWithTarget(["a", "b", "c"]), "target", 'Problem type Regression needs a numeric target, but "target" holds text values; choose BinaryClassification or MulticlassClassification.', { problemType: "Regression" });
    refuse(tableWithTarget(["a", "b", "c"]), "target", 'Problem type BinaryClassification needs exactly 2 target values, but "target" has 3; use MulticlassClassification.', { problemType: "BinaryClassification" });
    refuse(tableWithTarget(["a", "b"]), "target", '"target" has exactly 2 target values: use BinaryClassification rather than MulticlassClassification.', { problemType: "MulticlassClassification" });
  });

  it("refuses duplicate or empty column names and too many columns", () => {
    refuse({ header: ["x", "x", "y"], rows: [] }, "y", 'Column name "x" appears more than once in the header; column names must be unique.');
    refuse({ header: ["x", " ", "y"], rows: [] }, "y", "Column 2 has an empty name; every column needs a name in the header line.");
    refuse({ header: Array.from({ length: 1001 }, (_, i) => `c${i}`), rows: [] }, "c0", "The data has 1001 columns; at most 1000 are supported. Select fewer columns.");
  });

  it("needs at least one usable feature", () => {
    const table: Table = { header: ["id", "flat", "y"], rows: Array.from({ length: 600 }, (_, i) => [`id-${i}`, "1", i % 2 ? "a" : "b"]) };
    refuse(table, "y", 'No column is usable as a feature: "id" (ID-like: 600 distinct values in 600 rows), "flat" (it holds a single value).');
  });
});

describe("reading a field", () => {
  it("reads plain decimals, spaces around them allowed, and nothing else as a number", () => {
    expect(["1", "-2.5", "+.5", "5.", "1e3", "-1.5E-2", " 42 ", "0", "007"].map(parseNumber)).toEqual([1, -2.5, 0.5, 5, 1000, -0.015, 42, 0, 7]);
    for (const text of ["", "  ", "0x10", "0b1", "0o7", "Infinity", "-Infinity", "NaN", "1,5", "1.2.3", "12abc", "e5", "-"]) {
      expect(parseNumber(text), text).toBeNaN();
    }
  });

  it("reads yes/no and true/false flags in any case, with a trailing full stop", () => {
    expect(["yes", "No", "TRUE", "false", "True.", "False.", "y", "n"].map(parseBoolean)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(parseBoolean("maybe")).toBeNaN();
  });

  it("knows the usual spellings of a missing value", () => {
    expect(["", " ", "NA", "n/a", "NaN", "null", "None", "?"].every(isMissing)).toBe(true);
    expect(isMissing("0")).toBe(false);
  });
});

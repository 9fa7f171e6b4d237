import { describe, expect, it } from "vitest";
import { AutoMLInputError, runAutoML } from "../../lib/automl/index.ts";
import { binaryCsv } from "./fixtures.ts";

const csv = binaryCsv(600);
const refused = (options: Partial<Parameters<typeof runAutoML>[0]>, message: string) =>
  expect(runAutoML({ csv, target: "churned", ...options })).rejects.toThrow(new AutoMLInputError(message));

describe("job options", () => {
  it("refuses an unknown problem type or objective, and an objective that does not fit the problem", async () => {
    await refused({ problemType: "Clustering" }, "Unknown problem type \"Clustering\"; use one of BinaryClassification, MulticlassClassification, Regression.");
    await refused({ objective: "Kappa" }, "Unknown objective metric \"Kappa\"; use one of F1, Accuracy, AUC, BalancedAccuracy, Precision, Recall, LogLoss, F1macro, PrecisionMacro, RecallMacro, MSE, RMSE, MAE, R2.");
    await refused({ objective: "MSE" }, "Objective MSE does not apply to BinaryClassification; use one of F1, Accuracy, AUC, BalancedAccuracy, Precision, Recall, LogLoss, F1macro.");
  });

  it("refuses budgets that are not positive numbers", async () => {
    await refused({ maxCandidates: 0 }, "maxCandidates must be a positive integer, got 0.");
    await refused({ maxCandidates: 2.5 }, "maxCandidates must be a positive integer, got 2.5.");
    await refused({ maxRuntimeSeconds: -1 }, "maxRuntimeSeconds must be a positive number, got -1.");
  });

  it("needs the data exactly once", async () => {
    await refused({ csv: undefined }, "No training data: give csv (CSV text with a header line) or table.");
    await refused({ table: { header: ["a"], rows: [] } }, "Give the training data as either csv or table, not both.");
  });

  it("needs enough rows of every class for stratified cross-validation: five under Autopilot's rules, else as many as folds", async () => {
    const rows = binaryCsv(600).split("\n");
    const withRareClass = (count: number) => [...rows, ...rows.slice(1, count + 1).map((row) => row.replace(/,(yes|no)$/, ",maybe"))].join("\n");
    await expect(runAutoML({ csv: withRareClass(3), target: "churned", inputRules: "autopilot" })).rejects.toThrow(
      new AutoMLInputError('Class "maybe" of target "churned" has only 3 rows; stratified 5-fold cross-validation needs at least 5 rows per class. Add rows of that class or remove them.'),
    );
    await expect(runAutoML({ csv: withRareClass(1), target: "churned" })).rejects.toThrow(
      new AutoMLInputError('Class "maybe" of target "churned" has only 1 row; stratified cross-validation needs at least 2 rows per class. Add rows of that class or remove them.'),
    );
    const adapted = await runAutoML({ csv: withRareClass(3), target: "churned", maxCandidates: 1, ensembling: "none" });
    expect(adapted.validation).toMatchObject({ kind: "cross-validation", rounds: 3 });
    expect(adapted.analysis.decisions).toContain('Validation: stratified 3-fold cross-validation rather than 5-fold, since class "maybe" has only 3 rows.');
  });

  it("refuses a minimum row count below 10 or an unknown set of input rules", async () => {
    await refused({ minRows: 5 }, "minRows must be an integer of at least 10, got 5.");
    await refused({ inputRules: "lenient" as never }, 'inputRules must be one of engine, autopilot, got "lenient".');
  });
});

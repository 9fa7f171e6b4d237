import type { Algorithm, Dataset, FitOptions, Task } from "./types.ts";

/**
 * Rejects data a learner cannot train on, with a message naming the problem: shapes that
 * disagree, labels outside the task's classes, and (for learners that need imputed input)
 * missing or infinite features.
 */
export function checkFitData(
  algorithm: Algorithm,
  task: Task,
  train: Dataset,
  options: FitOptions,
  allowMissing: boolean,
): void {
  checkDataset(algorithm, task, train, { allowMissing, role: "training" });
  if (options.validation) {
    checkDataset(algorithm, task, options.validation, { allowMissing, role: "validation", expectedCols: train.X.cols });
  }
}

function checkDataset(
  algorithm: Algorithm,
  task: Task,
  data: Dataset,
  options: { allowMissing: boolean; expectedCols?: number; role: "training" | "validation" },
): void {
  const { X, y, weights } = data;
  const fail = (problem: string): never => {
    throw new Error(`${algorithm}: ${options.role} data: ${problem}`);
  };
  if (X.rows < 1) fail("no rows");
  if (X.values.length !== X.rows * X.cols) fail(`${X.values.length} values for ${X.rows} × ${X.cols}`);
  if (options.expectedCols !== undefined && X.cols !== options.expectedCols) {
    fail(`${X.cols} columns, the training data has ${options.expectedCols}`);
  }
  if (y.length !== X.rows) fail(`${y.length} targets for ${X.rows} rows`);
  if (weights && weights.length !== X.rows) fail(`${weights.length} weights for ${X.rows} rows`);
  if (weights?.some((w) => !(w >= 0 && w < Infinity))) fail("weights must be finite and non-negative");
  if (weights && !weights.some((w) => w > 0)) fail("all weights are zero");

  const classes = task.kind === "binary" ? 2 : task.kind === "multiclass" ? task.classes : 0;
  if (task.kind === "multiclass" && !(Number.isInteger(classes) && classes >= 2)) {
    fail(`a multiclass task needs at least 2 classes, got ${classes}`);
  }
  for (let r = 0; r < y.length; r++) {
    const label = y[r]!;
    if (classes > 0 ? !(Number.isInteger(label) && label >= 0 && label < classes) : !Number.isFinite(label)) {
      fail(`row ${r}: target ${label} is not ${classes > 0 ? `a class index in 0..${classes - 1}` : "finite"}`);
    }
  }
  if (!options.allowMissing) {
    const bad = X.values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      fail(`row ${Math.floor(bad / X.cols)}, column ${bad % X.cols} is ${X.values[bad]}; impute and scale first`);
    }
  }
}

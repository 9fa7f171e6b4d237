/**
 * Benchmark, not a test: fit and predict times of each learner on data/churn.txt's 4,000
 * training rows × 69 columns (scaled for the linear model and the MLP), best of a few runs, in
 * CPU milliseconds (this process only, so other load on the machine counts less) and wall
 * milliseconds. Prints one JSON object.
 *
 *   npx tsx test/automl/learners/bench-learners.ts
 */
import { learners } from "../../../lib/automl/learners/index.ts";
import type { Algorithm, Dataset, Matrix, Params } from "../../../lib/automl/learners/types.ts";
import { loadChurnMatrix } from "./churn-matrix.ts";
import { auc, splitTail, standardizeColumns } from "./synthetic.ts";

const REPEATS = 3;

function cpuMilliseconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function best<T>(run: () => T): { result: T; cpuMs: number; wallMs: number } {
  let result: T | undefined;
  let cpuMs = Infinity;
  let wallMs = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const cpu = cpuMilliseconds();
    const wall = performance.now();
    result = run();
    cpuMs = Math.min(cpuMs, cpuMilliseconds() - cpu);
    wallMs = Math.min(wallMs, performance.now() - wall);
  }
  return { result: result!, cpuMs: Math.round(cpuMs), wallMs: Math.round(wallMs) };
}

const [train, test] = splitTail(loadChurnMatrix(), 0.2);
const [scaledTrain, scaledTest] = standardizeColumns(train.X, test.X) as [Matrix, Matrix];
const raw = { train, test: test.X };
const scaled = { train: { X: scaledTrain, y: train.y }, test: scaledTest };

const cases: { name: string; algorithm: Algorithm; params: Params; data: { train: Dataset; test: Matrix }; validation?: boolean }[] = [
  { name: "gbdt, 100 rounds, depth 6", algorithm: "gbdt", params: { nRounds: 100, earlyStoppingRounds: 0 }, data: raw },
  { name: "gbdt, 300 rounds, depth 6", algorithm: "gbdt", params: { nRounds: 300, earlyStoppingRounds: 0 }, data: raw },
  { name: "gbdt, 300 rounds, subsample/colsample 0.8", algorithm: "gbdt", params: { nRounds: 300, earlyStoppingRounds: 0, subsample: 0.8, colsampleByTree: 0.8 }, data: raw },
  { name: "gbdt, defaults, early stopping on 20%", algorithm: "gbdt", params: {}, data: raw, validation: true },
  { name: "linear, defaults", algorithm: "linear", params: {}, data: scaled },
  { name: "linear, elastic net", algorithm: "linear", params: { regularization: 0.01, l1Ratio: 0.5 }, data: scaled },
  { name: "mlp, defaults (32 units), early stopping on 20%", algorithm: "mlp", params: {}, data: scaled, validation: true },
  { name: "mlp, 64-32, 30 epochs", algorithm: "mlp", params: { hiddenLayers: 2, hiddenUnits: 64, epochs: 30 }, data: scaled },
];

const results = cases.map(({ name, algorithm, params, data, validation }) => {
  const [fitRows, validationRows] = validation ? splitTail(data.train, 0.2) : [data.train, undefined];
  const fit = best(() =>
    learners[algorithm].fit(fitRows, { kind: "binary" }, params, { seed: 1, ...(validationRows && { validation: validationRows }) }),
  );
  const predict = best(() => fit.result.predict(data.test));
  return {
    name,
    trainRows: fitRows.X.rows,
    iterations: fit.result.iterations,
    fitCpuMs: fit.cpuMs,
    fitWallMs: fit.wallMs,
    predict1000CpuMs: predict.cpuMs,
    predict1000WallMs: predict.wallMs,
    testAuc: Number(auc(predict.result, test.y).toFixed(4)),
  };
});
console.log(JSON.stringify({ data: "data/churn.txt, first 4,000 rows to train, last 1,000 to predict", results }, null, 2));

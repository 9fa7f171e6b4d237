/**
 * Benchmark, not a test: our GBDT against Debian's XGBoost (`/usr/bin/python3`, `hist` method)
 * with the same hyperparameters and early stopping, on synthetic nonlinear problems (with missing
 * values) and on data/churn.txt. Prints one JSON object.
 *
 *   npx tsx test/automl/learners/compare-xgboost.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gbdtLearner } from "../../../lib/automl/learners/gbdt/index.ts";
import type { Dataset, Task } from "../../../lib/automl/learners/types.ts";
import { loadChurnMatrix } from "./churn-matrix.ts";
import { accuracy, auc, churnLike, generate, splitTail } from "./synthetic.ts";

const PYTHON = "/usr/bin/python3";
const params = { learningRate: 0.1, maxDepth: 6, minChildWeight: 1, lambda: 1, nRounds: 500, earlyStoppingRounds: 20 };

const XGBOOST_SCRIPT = `
import json, sys, time
import numpy as np, xgboost as xgb
directory, objective, eta, depth, mcw, lam, rounds, patience = sys.argv[1:]
load = lambda name: np.loadtxt(f"{directory}/{name}.csv", delimiter=",", ndmin=2)
train, valid, test = load("train"), load("valid"), load("test")
dm = lambda a: xgb.DMatrix(a[:, 1:], label=a[:, 0], missing=np.nan)
params = {"objective": objective, "eta": float(eta), "max_depth": int(depth), "min_child_weight": float(mcw),
          "lambda": float(lam), "tree_method": "hist", "max_bin": 256, "nthread": 1, "seed": 1}
dtrain, dvalid, dtest = dm(train), dm(valid), dm(test)
start = time.process_time()
booster = xgb.train(params, dtrain, int(rounds), evals=[(dvalid, "valid")], early_stopping_rounds=int(patience), verbose_eval=False)
seconds = time.process_time() - start
prediction = booster.predict(dtest, iteration_range=(0, booster.best_iteration + 1))
print(json.dumps({"seconds": seconds, "rounds": booster.best_iteration + 1, "prediction": prediction.tolist()}))
`;

function xgboostAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import xgboost"]).status === 0;
}

function toCsv(data: Dataset): string {
  const lines: string[] = [];
  for (let r = 0; r < data.X.rows; r++) {
    const row = Array.from(data.X.values.subarray(r * data.X.cols, (r + 1) * data.X.cols), (v) => (Number.isNaN(v) ? "nan" : String(v)));
    lines.push([String(data.y[r]), ...row].join(","));
  }
  return lines.join("\n");
}

function runXgboost(train: Dataset, valid: Dataset, test: Dataset, objective: string) {
  const directory = mkdtempSync(join(tmpdir(), "xgb-"));
  try {
    writeFileSync(join(directory, "train.csv"), toCsv(train));
    writeFileSync(join(directory, "valid.csv"), toCsv(valid));
    writeFileSync(join(directory, "test.csv"), toCsv(test));
    const args = [directory, objective, params.learningRate, params.maxDepth, params.minChildWeight, params.lambda, params.nRounds, params.earlyStoppingRounds];
    const result = spawnSync(PYTHON, ["-c", XGBOOST_SCRIPT, ...args.map(String)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(result.stderr);
    const output = JSON.parse(result.stdout) as { seconds: number; rounds: number; prediction: number[] };
    return { ...output, prediction: Float64Array.from(output.prediction) };
  } finally {
    rmSync(directory, { recursive: true });
  }
}

function runOurs(train: Dataset, valid: Dataset, test: Dataset, task: Task) {
  const start = process.cpuUsage();
  const model = gbdtLearner.fit(train, task, params, { seed: 1, validation: valid });
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, rounds: model.iterations ?? 0, prediction: model.predict(test.X) };
}

function score(task: Task, prediction: Float64Array, y: Float64Array): Record<string, number> {
  if (task.kind === "binary") return { accuracy: accuracy(prediction, y), auc: auc(prediction, y) };
  let squares = 0;
  y.forEach((value, r) => (squares += (prediction[r]! - value) ** 2));
  return { rmse: Math.sqrt(squares / y.length) };
}

const problems: { name: string; task: Task; objective: string; data: Dataset }[] = [
  { name: "churn.txt (69 columns, one-hot State)", task: { kind: "binary" }, objective: "binary:logistic", data: loadChurnMatrix() },
  { name: "synthetic churn-like, 6000 × 70, 5% missing", task: { kind: "binary" }, objective: "binary:logistic", data: churnLike(6000, 7) },
  {
    name: "Friedman #1 regression, 6000 × 10, noise sd 1",
    task: { kind: "regression" },
    objective: "reg:squarederror",
    data: generate(6000, 10, 8, (row, random) => {
      const [x0, x1, x2, x3, x4] = Array.from(row.subarray(0, 5), (v) => (v + 1) / 2);
      return 10 * Math.sin(Math.PI * x0! * x1!) + 20 * (x2! - 0.5) ** 2 + 10 * x3! + 5 * x4! + random.normal();
    }),
  },
];

const available = xgboostAvailable();
const report = problems.map(({ name, task, objective, data }) => {
  const [rest, test] = splitTail(data, 0.2);
  const [train, valid] = splitTail(rest, 0.2);
  const ours = runOurs(train, valid, test, task);
  const entry: Record<string, unknown> = {
    problem: name,
    ours: { ...score(task, ours.prediction, test.y), rounds: ours.rounds, cpuSeconds: ours.seconds },
  };
  if (available) {
    const theirs = runXgboost(train, valid, test, objective);
    entry["xgboost"] = { ...score(task, theirs.prediction, test.y), rounds: theirs.rounds, cpuSeconds: theirs.seconds };
  }
  return entry;
});
console.log(JSON.stringify({ params, xgboost: available ? "python3-xgboost, hist, 1 thread" : "not installed", results: report }, null, 2));

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pandasSampleIndices } from "../lib/flow/pandas-sample.ts";
import { formatCsvRow, loadArtifact, runAutoML, tableFromCsv, type AutoMLModel } from "../lib/automl/index.ts";
import { computeMetric } from "../lib/automl/metrics.ts";
import { benchAutomlQuality, qualityTargetsMissed } from "./automl-quality.ts";
import { generateMessyTable, MESSY_TARGET } from "./messy-table.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const TARGET = "Churn?";
const POSITIVE = "True.";
const CANDIDATES = 10;
const SCALE_ROWS = [5_000, 25_000, 100_000];
/** Rows of the 30-column messy table the job's peak memory is measured on. */
const MEMORY_ROWS = [5_000, 25_000, 50_000];
/** peakRssMiBAt50kMessy: 600 MB (issue 17) in MiB, as peakRssMiB counts. */
const TARGETS = { jobSeconds: 30, ratioToPeer: 2, predict1000RowsMs: 20, peakRssMiBAt100k: 1024, peakRssMiBAt50kMessy: Math.floor(600e6 / 2 ** 20) };

/**
 * The AutoML engine against its targets: quality and speed on data/churn.txt with the blog's
 * 80/20 split, side by side with Debian's XGBoost under the same budget; prediction latency;
 * and the same job on 5k/25k/100k generated rows. Prints one JSON object.
 */
export async function benchAutoml(): Promise<void> {
  const table = tableFromCsv(readFileSync(join(ROOT, "data/churn.txt"), "utf8"));
  const split = pandasSampleIndices(table.rows.length, 0.8, 200);
  const train = { header: table.header, rows: split.train.map((i) => table.rows[i]!) };
  const test = { header: table.header, rows: split.test.map((i) => table.rows[i]!) };
  const truth = Float64Array.from(test.rows, (row) => (row[table.header.indexOf(TARGET)] === POSITIVE ? 1 : 0));

  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await runAutoML({ table: train, target: TARGET, maxCandidates: CANDIDATES, seed: 0 });
  const jobSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const jobCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const best = loadArtifact(result.best.artifact);
  const ours = { candidate: result.best.name, ...testScores(best, test.rows, truth) };
  const linearName = result.leaderboard.find((entry) => entry.algorithm === "linear")?.name;
  const linear = linearName ? { candidate: linearName, f1: testScores(loadArtifact(result.candidateArtifacts[linearName]!), test.rows, truth).f1 } : undefined;
  const peer = runXgboostPeer(train, test);
  const prediction = predictionMilliseconds(best, test.rows.slice(0, 1000));
  const predict1000RowsMs = prediction.median;
  const scale = SCALE_ROWS.map((rows) => runScalePoint(rows));
  const memory = MEMORY_ROWS.map(runMessyPoint);
  const againstPeers = benchAutomlQuality();

  const missed: string[] = [];
  if (jobSeconds > TARGETS.jobSeconds) missed.push(`job took ${jobSeconds.toFixed(1)} s, over the ${TARGETS.jobSeconds} s target by ${(jobSeconds - TARGETS.jobSeconds).toFixed(1)} s`);
  if (predict1000RowsMs >= TARGETS.predict1000RowsMs) missed.push(`1,000-row prediction took ${predict1000RowsMs.toFixed(1)} ms`);
  if (peer.available) {
    if (ours.f1 < peer.f1) missed.push(`test F1 ${ours.f1.toFixed(4)} below XGBoost's ${peer.f1.toFixed(4)}`);
    if (ours.auc < peer.auc) missed.push(`test AUC ${ours.auc.toFixed(4)} below XGBoost's ${peer.auc.toFixed(4)}`);
    if (jobSeconds > TARGETS.ratioToPeer * peer.searchSeconds) missed.push(`job time ${(jobSeconds / peer.searchSeconds).toFixed(2)}x XGBoost's search time`);
  }
  if (linear && linear.f1 >= ours.f1) missed.push(`the linear model (F1 ${linear.f1.toFixed(4)}) is not worse than the best`);
  const largest = scale.at(-1);
  if (largest && largest.peakRssMiB >= TARGETS.peakRssMiBAt100k) missed.push(`peak memory at 100k rows ${largest.peakRssMiB} MiB`);
  const messy50k = memory.find((point) => point.rows === 50_000);
  if (messy50k && messy50k.peakRssMiB >= TARGETS.peakRssMiBAt50kMessy) missed.push(`peak memory on the 50,000-row messy table ${messy50k.peakRssMiB} MiB`);
  missed.push(...qualityTargetsMissed(againstPeers));
  for (let i = 1; i < scale.length; i++) {
    if (scale[i]!.secondsPer1000Rows > scale[i - 1]!.secondsPer1000Rows * 1.1) missed.push(`time per row grew from ${scale[i - 1]!.rows} to ${scale[i]!.rows} rows`);
  }

  console.log(
    JSON.stringify(
      {
        automl: {
          quality: {
            data: "data/churn.txt, train = pandas sample(frac=0.8, random_state=200), test = the other 1,000 rows",
            budget: `${CANDIDATES} candidates, 5-fold cross-validation`,
            ours: { ...ours, f1: round(ours.f1, 4), auc: round(ours.auc, 4), cvF1: round(result.leaderboard[0]!.objective!, 4) },
            xgboost: peer.available ? { ...peer, f1: round(peer.f1, 4), auc: round(peer.auc, 4) } : peer,
            ratioToXgboost: peer.available ? { f1: round(ours.f1 / peer.f1, 4), auc: round(ours.auc / peer.auc, 4) } : null,
            linear: linear && { ...linear, f1: round(linear.f1, 4) },
            leaderboard: result.leaderboard.map((entry) => ({ name: entry.name, cvF1: entry.objective && round(entry.objective, 4), fitSeconds: round(entry.fitSeconds, 2) })),
          },
          machine: { cores: availableParallelism(), loadAverage1mBeforeJob: round(loadBefore, 2) },
          speed: {
            jobSeconds: round(jobSeconds, 2),
            jobCpuSeconds: round(jobCpuSeconds, 2),
            targetJobSeconds: TARGETS.jobSeconds,
            xgboostSearchSeconds: peer.available ? peer.searchSeconds : null,
            ratioToXgboost: peer.available ? round(jobSeconds / peer.searchSeconds, 2) : null,
            predict1000RowsMs: round(predict1000RowsMs, 2),
            predict1000RowsP90Ms: round(prediction.p90, 2),
            targetPredictMs: TARGETS.predict1000RowsMs,
          },
          scale,
          memory: {
            data: "bench/messy-table.ts: 30 columns (an ID, 13 numbers, 12 categories of 3-400 levels, 2 flags, a date, a binary target), read from a file's bytes",
            targetPeakRssMiBAt50k: TARGETS.peakRssMiBAt50kMessy,
            points: memory,
          },
          againstPeers,
          targetsMissed: missed,
        },
      },
      null,
      2,
    ),
  );
}

function testScores(model: AutoMLModel, rows: string[][], truth: Float64Array): { f1: number; auc: number } {
  const probabilities = Float64Array.from(model.predict(rows), (p) => p.probability!);
  return { f1: computeMetric("F1", truth, probabilities, { kind: "binary" }), auc: computeMetric("AUC", truth, probabilities, { kind: "binary" }) };
}

/**
 * Steady-state latency of repeated 1,000-row predictions on a loaded model, as an endpoint serving
 * requests sees it: 100 calls to let the JIT settle, then the median (and p90) of 101 timed calls.
 * (30 warm-up and 21 timed calls gave medians from 12 to 25 ms for the same model on this machine.)
 */
function predictionMilliseconds(model: AutoMLModel, rows: string[][]): { median: number; p90: number } {
  for (let i = 0; i < 100; i++) model.predict(rows);
  const times = Array.from({ length: 101 }, () => {
    const started = performance.now();
    model.predict(rows);
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return { median: times[50]!, p90: times[90]! };
}

type ScalePoint = { rows: number; seconds: number; cpuSeconds: number; secondsPer1000Rows: number; peakRssMiB: number };

/** The job in a process of its own on generated churn rows, or on a CSV file with the given target. */
function runScalePoint(rows: number, file?: { path: string; target: string }): ScalePoint {
  const args = ["--import", "tsx", join(ROOT, "bench/automl-scale-job.ts"), String(rows), ...(file ? [file.path, file.target] : [])];
  const output = execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split("\n").at(-1)!);
}

/** The job on the messy table of `rows` rows, written to a file first, so its generation is not in the job's memory. */
function runMessyPoint(rows: number): ScalePoint & { fileMB: number } {
  const dir = mkdtempSync(join(tmpdir(), "bench-automl-messy-"));
  try {
    const path = join(dir, "messy.csv");
    const csv = generateMessyTable(rows, 1);
    writeFileSync(path, csv);
    return { ...runScalePoint(rows, { path, target: MESSY_TARGET }), fileMB: round(csv.length / 1e6, 1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type PeerResult =
  | { available: true; f1: number; auc: number; searchSeconds: number; processSeconds: number; bestParams: Record<string, number>; versions: Record<string, string> }
  | { available: false; reason: string };

/**
 * The same job with Debian's XGBoost: the same rows, Phone dropped as an identifier, State
 * one-hot, yes/no as 0/1; 10 random-search candidates over Autopilot's XGBoost ranges, 5-fold
 * stratified CV on F1, refit on all training rows; both cores.
 */
function runXgboostPeer(train: { header: string[]; rows: string[][] }, test: { header: string[]; rows: string[][] }): PeerResult {
  const python = "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import xgboost, sklearn, pandas, scipy"], { encoding: "utf8" });
  if (probe.status !== 0) return { available: false, reason: `${python} cannot import xgboost, sklearn, pandas and scipy: ${(probe.stderr || probe.error?.message || "").trim().split("\n").at(-1)}` };
  const dir = mkdtempSync(join(tmpdir(), "bench-automl-"));
  try {
    const csv = (table: { header: string[]; rows: string[][] }) => [table.header, ...table.rows].map(formatCsvRow).join("\n");
    writeFileSync(join(dir, "train.csv"), csv(train));
    writeFileSync(join(dir, "test.csv"), csv(test));
    const started = performance.now();
    const output = execFileSync(python, ["-c", XGBOOST_PEER, dir], { encoding: "utf8" });
    const processSeconds = (performance.now() - started) / 1000;
    return { available: true, ...JSON.parse(output), processSeconds: round(processSeconds, 2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const XGBOOST_PEER = `
import json, sys, time
import pandas as pd, sklearn, xgboost
from scipy.stats import loguniform, randint, uniform
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold
from xgboost import XGBClassifier

directory = sys.argv[1]
train = pd.read_csv(f"{directory}/train.csv")
test = pd.read_csv(f"{directory}/test.csv")

def features(frame):
    x = frame.drop(columns=["Phone", "Churn?"])
    for column in ["Int'l Plan", "VMail Plan"]:
        x[column] = (x[column] == "yes").astype(int)
    return x

both = pd.get_dummies(pd.concat([features(train), features(test)]), columns=["State"], dtype=float)
x_train, x_test = both.iloc[: len(train)], both.iloc[len(train) :]
y_train = (train["Churn?"] == "True.").astype(int)
y_test = (test["Churn?"] == "True.").astype(int)

space = {
    "n_estimators": randint(50, 501),
    "learning_rate": loguniform(0.01, 0.5),
    "max_depth": randint(3, 11),
    "min_child_weight": loguniform(0.01, 10),
    "subsample": uniform(0.5, 0.5),
    "colsample_bytree": uniform(0.5, 0.5),
    "reg_lambda": loguniform(0.01, 100),
    "reg_alpha": loguniform(0.001, 10),
}
search = RandomizedSearchCV(
    XGBClassifier(tree_method="hist", n_jobs=1, random_state=0),
    space,
    n_iter=10,
    scoring="f1",
    cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=0),
    n_jobs=2,
    random_state=0,
    refit=True,
)
started = time.perf_counter()
search.fit(x_train, y_train)
seconds = time.perf_counter() - started
p = search.predict_proba(x_test)[:, 1]
print(json.dumps({
    "f1": f1_score(y_test, p > 0.5),
    "auc": roc_auc_score(y_test, p),
    "cvF1": round(search.best_score_, 4),
    "searchSeconds": round(seconds, 2),
    "bestParams": {k: (round(v, 4) if isinstance(v, float) else int(v)) for k, v in search.best_params_.items()},
    "versions": {"xgboost": xgboost.__version__, "sklearn": sklearn.__version__, "pandas": pd.__version__},
}))
`;

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

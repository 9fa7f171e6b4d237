import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadArtifact, readPredictionCsv, runAutoML, type AutoMLOptions } from "../lib/automl/index.ts";

/**
 * One data set of the AutoML quality benchmark, in a process of its own so that its peak memory
 * is its own: trains the 10-candidate job on DIR/NAME/train.csv, writes its predictions for
 * test.csv to predictions.json (scored by bench/automl-quality.py beside the peers'), prints one
 * JSON line.
 */
/** MIN_ROWS, when given, lowers the engine's own minimum (Autopilot's 500 rows) for a small set. */
const [directory, name, minRows] = process.argv.slice(2) as [string, string, string | undefined];
const dataDir = join(directory, name);
const meta = JSON.parse(readFileSync(join(dataDir, "meta.json"), "utf8")) as { target: string };
const options: AutoMLOptions = {
  csv: readFileSync(join(dataDir, "train.csv"), "utf8"),
  target: meta.target,
  maxCandidates: 10,
  seed: 0,
  ...(minRows !== undefined && { minRows: Number(minRows) }),
};
const started = performance.now();
const result = await runAutoML(options);
const seconds = (performance.now() - started) / 1000;
const model = loadArtifact(result.best.artifact);
const predictions = model.predict(readPredictionCsv(model.artifact, readFileSync(join(dataDir, "test.csv"), "utf8")));
const regression = result.problemType === "Regression";
writeFileSync(
  join(dataDir, "predictions.json"),
  JSON.stringify(
    regression
      ? { values: predictions.map((p) => Number(p.predicted_label)) }
      : { labels: model.artifact.labels, predicted: predictions.map((p) => p.predicted_label), probabilities: predictions.map((p) => p.probabilities) },
  ),
);
const best = result.leaderboard[0]!;
console.log(
  JSON.stringify({
    seconds: Number(seconds.toFixed(1)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    validation: result.validation.kind === "holdout" ? `holdout of ${result.validation.scoredRows} rows` : `${result.validation.rounds}-fold cross-validation`,
    best: { name: best.name, [result.objective.metric]: best.objective, ...(best.metrics.LogLoss !== undefined && { LogLoss: best.metrics.LogLoss }) },
    leaderboard: result.leaderboard.map((entry) => `${entry.name} ${entry.status === "Completed" ? entry.objective!.toPrecision(5) : entry.status}`),
  }),
);

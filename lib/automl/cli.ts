import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommand, UsageError, USAGE, type Command } from "./cli-args.ts";
import {
  ArtifactError,
  AutoMLInputError,
  CsvSyntaxError,
  formatCsvRow,
  ignoredColumns,
  loadArtifact,
  readPredictionCsv,
  runAutoML,
  type AutoMLProgress,
  type AutoMLResult,
  type DataAnalysis,
  type LeaderboardEntry,
} from "./index.ts";

/** `npm run automl -- train|predict ...`: AutoML on a CSV file from the command line. */
async function main(argv: string[]): Promise<void> {
  const command = parseCommand(argv);
  if (command.command === "train") await train(command);
  else if (command.command === "predict") predictCommand(command);
  else console.log(USAGE);
}

async function train({ data, target, out, settings }: Extract<Command, { command: "train" }>): Promise<void> {
  const csv = readBytes(data, "--data");
  const abort = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nStopping: finishing with the best candidate so far...\n");
    abort.abort();
  });
  const result = await runAutoML({ csv, target, ...settings, onAnalysis: printDecisions, onProgress: printProgress, signal: abort.signal });
  writeArtifacts(out, result);
  console.log(`\n${result.problemType}, objective ${result.objective.metric} (${result.objective.direction}), ${describeValidation(result)}; ${result.end} after ${result.seconds.toFixed(1)} s\n`);
  console.log(leaderboardTable(result.leaderboard, result.objective.metric));
  const refitted = result.best.artifact.candidate.refitted ? "refitted on every row" : "as validated (not refitted: the job ran out of time or was stopped)";
  const features = result.best.featureImportance.slice(0, 5).map((f) => `${f.column} ${(f.importance * 100).toFixed(1)}%`);
  console.log(`\nBest: ${result.best.name}, ${refitted}. Top features: ${features.join(", ")}`);
  console.log(`Artifacts in ${out}: model.json (best), candidates/*.json, leaderboard.json`);
}

function predictCommand({ model: modelPath, data, out, header, probabilities }: Extract<Command, { command: "predict" }>): void {
  const modelFile = isDirectory(modelPath) ? join(modelPath, "model.json") : modelPath;
  const model = loadArtifact(readBytes(modelFile, "--model").toString("utf8"));
  const { labels, problemType } = model.artifact;
  const input = readPredictionCsv(model.artifact, readBytes(data, "--data"));
  const ignored = ignoredColumns(model.artifact, input);
  if (ignored.length > 0) process.stderr.write(`automl: ignoring columns the model was not trained on: ${ignored.map((name) => `"${name}"`).join(", ")}\n`);
  const perClass = probabilities && problemType !== "Regression";
  const columns = [
    "predicted_label",
    ...(problemType === "Regression" ? [] : ["probability"]),
    ...(perClass ? labels.map((label) => `probability_${label}`) : []),
  ];
  const lines = model.predict(input).map((p) => formatCsvRow([p.predicted_label, ...(p.probability === undefined ? [] : [String(p.probability)]), ...(perClass ? p.probabilities!.map(String) : [])]));
  if (header) lines.unshift(formatCsvRow(columns));
  const text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
}

function readBytes(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`Cannot read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}.`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** How the data was read and typed, before training starts. */
function printDecisions(analysis: DataAnalysis): void {
  process.stderr.write(analysis.decisions.map((decision) => `[AnalyzingData] ${decision}\n`).join(""));
}

function printProgress(progress: AutoMLProgress): void {
  const done = progress.candidatesCompleted + progress.candidatesStoppedEarly + progress.candidatesFailed;
  const early = progress.candidatesStoppedEarly > 0 ? `, ${progress.candidatesStoppedEarly} stopped early` : "";
  const failed = progress.candidatesFailed > 0 ? `, ${progress.candidatesFailed} failed` : "";
  const best = progress.best ? `, best ${progress.best.name} ${progress.best.metric}=${formatNumber(progress.best.value)}` : "";
  process.stderr.write(`[${progress.stage}] ${done}/${progress.maxCandidates} candidates${early}${failed}${best}\n`);
}

function describeValidation(result: AutoMLResult): string {
  return result.validation.kind === "cross-validation"
    ? `${result.validation.rounds}-fold cross-validation on ${result.validation.scoredRows} rows`
    : `holdout of ${result.validation.scoredRows} rows`;
}

function writeArtifacts(dir: string, result: AutoMLResult): void {
  mkdirSync(join(dir, "candidates"), { recursive: true });
  writeFileSync(join(dir, "model.json"), JSON.stringify(result.best.artifact));
  for (const [name, artifact] of Object.entries(result.candidateArtifacts)) writeFileSync(join(dir, "candidates", `${name}.json`), JSON.stringify(artifact));
  const { analysis, problemType, objective, validation, leaderboard, best, end, seconds } = result;
  const summary = { problemType, objective, validation, end, seconds, best: { name: best.name, featureImportance: best.featureImportance }, leaderboard, analysis };
  writeFileSync(join(dir, "leaderboard.json"), `${JSON.stringify(summary, null, 2)}\n`);
}

/** The leaderboard as a table: the objective, then (classification) log loss, the decision threshold and the calibration. */
function leaderboardTable(entries: readonly LeaderboardEntry[], metric: string): string {
  const logLoss = metric !== "LogLoss" && entries.some((entry) => entry.metrics.LogLoss !== undefined);
  const threshold = entries.some((entry) => entry.decisionThreshold !== undefined);
  const calibration = entries.some((entry) => entry.calibration !== undefined);
  const header = ["rank", "candidate", "algorithm", metric, ...(logLoss ? ["LogLoss"] : []), ...(threshold ? ["threshold"] : []), ...(calibration ? ["calibration"] : []), "fit s", "status", "hyperparameters"];
  const rows = entries.map((entry) => [
    String(entry.rank),
    entry.name,
    entry.algorithm,
    entry.objective === null ? "-" : formatNumber(entry.objective),
    ...(logLoss ? [entry.metrics.LogLoss === undefined ? "-" : formatNumber(entry.metrics.LogLoss)] : []),
    ...(threshold ? [entry.decisionThreshold === undefined ? "-" : entry.decisionThreshold.toFixed(3)] : []),
    ...(calibration ? [entry.calibration ?? "-"] : []),
    entry.fitSeconds.toFixed(1),
    entry.stoppedEarly ? "Stopped early" : entry.status,
    Object.entries(entry.hyperparameters)
      .map(([name, value]) => `${name}=${typeof value === "number" ? formatNumber(value) : value}`)
      .join(" "),
  ]);
  const widths = header.map((_, c) => Math.max(header[c]!.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`automl: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof AutoMLInputError || error instanceof ArtifactError || error instanceof CsvSyntaxError) {
    process.stderr.write(`automl: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`automl: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
});

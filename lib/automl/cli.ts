import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommand, UsageError, USAGE, type Command } from "./cli-args.ts";
import {
  ArtifactError,
  AutoMLInputError,
  CsvSyntaxError,
  formatCsvRow,
  loadArtifact,
  readPredictionCsv,
  runAutoML,
  type AutoMLProgress,
  type AutoMLResult,
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
  const csv = readInput(data, "--data");
  const abort = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nStopping: finishing with the best candidate so far...\n");
    abort.abort();
  });
  const result = await runAutoML({ csv, target, ...settings, onProgress: printProgress, signal: abort.signal });
  writeArtifacts(out, result);
  console.log(`\n${result.problemType}, objective ${result.objective.metric} (${result.objective.direction}), ${describeValidation(result)}; ${result.end} after ${result.seconds.toFixed(1)} s\n`);
  console.log(leaderboardTable(result.leaderboard, result.objective.metric));
  const refitted = result.best.artifact.candidate.refitted ? "refitted on every row" : "as validated (not refitted: the job ran out of time or was stopped)";
  const features = result.best.featureImportance.slice(0, 5).map((f) => `${f.column} ${(f.importance * 100).toFixed(1)}%`);
  console.log(`\nBest: ${result.best.name}, ${refitted}. Top features: ${features.join(", ")}`);
  console.log(`Artifacts in ${out}: model.json (best), candidates/*.json, leaderboard.json`);
}

function predictCommand({ model: modelPath, data, out }: Extract<Command, { command: "predict" }>): void {
  const modelFile = isDirectory(modelPath) ? join(modelPath, "model.json") : modelPath;
  const model = loadArtifact(readInput(modelFile, "--model"));
  const predictions = model.predict(readPredictionCsv(model.artifact, readInput(data, "--data")));
  const lines = predictions.map((p) => formatCsvRow(p.probability === undefined ? [p.predicted_label] : [p.predicted_label, String(p.probability)]));
  const text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text);
}

function readInput(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
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

function leaderboardTable(entries: readonly LeaderboardEntry[], metric: string): string {
  const header = ["rank", "candidate", "algorithm", metric, "fit s", "status", "hyperparameters"];
  const rows = entries.map((entry) => [
    String(entry.rank),
    entry.name,
    entry.algorithm,
    entry.objective === null ? "-" : formatNumber(entry.objective),
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

import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ArtifactError, AutoMLInputError, CsvSyntaxError, formatCsvRow, loadArtifact, readPredictionCsv, runAutoML, type AutoMLProgress, type AutoMLResult, type LeaderboardEntry } from "./index.ts";

const USAGE = `Usage:
  npm run automl -- train --data FILE --target COLUMN --out DIR
      [--problem-type BinaryClassification|MulticlassClassification|Regression]
      [--objective METRIC] [--max-candidates N] [--max-runtime SECONDS]
      [--max-runtime-per-candidate SECONDS] [--seed K] [--workers N]
  npm run automl -- predict --model DIR_OR_FILE --data FILE [--out FILE]`;

/** A mistake in how the command was called: reported with the usage text. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "train") await train(rest);
  else if (command === "predict") predictCommand(rest);
  else if (command === undefined || command === "--help" || command === "help") console.log(USAGE);
  else throw new UsageError(`Unknown command "${command}".`);
}

async function train(args: string[]): Promise<void> {
  const { values } = parse(args, {
    data: { type: "string" },
    target: { type: "string" },
    out: { type: "string" },
    "problem-type": { type: "string" },
    objective: { type: "string" },
    "max-candidates": { type: "string" },
    "max-runtime": { type: "string" },
    "max-runtime-per-candidate": { type: "string" },
    seed: { type: "string" },
    workers: { type: "string" },
  });
  const data = required(values.data, "--data");
  const target = required(values.target, "--target");
  const out = required(values.out, "--out");
  const abort = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nStopping: finishing with the best candidate so far...\n");
    abort.abort();
  });
  const result = await runAutoML({
    csv: readInput(data, "--data"),
    target,
    ...(values["problem-type"] !== undefined && { problemType: values["problem-type"] }),
    ...(values.objective !== undefined && { objective: values.objective }),
    ...optionalNumber("maxCandidates", values["max-candidates"], "--max-candidates"),
    ...optionalNumber("maxRuntimeSeconds", values["max-runtime"], "--max-runtime"),
    ...optionalNumber("maxRuntimePerCandidateSeconds", values["max-runtime-per-candidate"], "--max-runtime-per-candidate"),
    ...optionalNumber("seed", values.seed, "--seed"),
    ...optionalNumber("workers", values.workers, "--workers"),
    onProgress: printProgress,
    signal: abort.signal,
  });
  writeArtifacts(out, result);
  console.log(`\n${result.problemType}, objective ${result.objective.metric} (${result.objective.direction}), ${describeValidation(result)}; ${result.end} after ${result.seconds.toFixed(1)} s\n`);
  console.log(leaderboardTable(result.leaderboard, result.objective.metric));
  const refitted = result.best.artifact.candidate.refitted ? "refitted on every row" : "as validated (not refitted: the job ran out of time or was stopped)";
  console.log(`\nBest: ${result.best.name}, ${refitted}. Top features: ${result.best.featureImportance.slice(0, 5).map((f) => `${f.column} ${(f.importance * 100).toFixed(1)}%`).join(", ")}`);
  console.log(`Artifacts in ${out}: model.json (best), candidates/*.json, leaderboard.json`);
}

function predictCommand(args: string[]): void {
  const { values } = parse(args, { model: { type: "string" }, data: { type: "string" }, out: { type: "string" } });
  const modelPath = required(values.model, "--model");
  const dataPath = required(values.data, "--data");
  const modelFile = isDirectory(modelPath) ? join(modelPath, "model.json") : modelPath;
  const model = loadArtifact(readInput(modelFile, "--model"));
  const predictions = model.predict(readPredictionCsv(model.artifact, readInput(dataPath, "--data")));
  const lines = predictions.map((p) => formatCsvRow(p.probability === undefined ? [p.predicted_label] : [p.predicted_label, String(p.probability)]));
  const text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
}

function parse<T extends Record<string, { type: "string" }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`${flag} is required.`);
  return value;
}

function optionalNumber<K extends string>(key: K, value: string | undefined, flag: string): Partial<Record<K, number>> {
  if (value === undefined) return {};
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) throw new UsageError(`${flag} takes a number, got "${value}".`);
  return { [key]: number } as Partial<Record<K, number>>;
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
  const best = progress.best ? `, best ${progress.best.name} ${progress.best.metric}=${formatNumber(progress.best.value)}` : "";
  const failed = progress.candidatesFailed > 0 ? `, ${progress.candidatesFailed} failed` : "";
  process.stderr.write(`[${progress.stage}] ${progress.candidatesCompleted}/${progress.maxCandidates} candidates${failed}${best}\n`);
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
    entry.status,
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

import { readFileSync } from "node:fs";
import { generateChurn } from "../data/generate-churn.ts";
import { runAutoML } from "../lib/automl/index.ts";

/**
 * One scale point of the AutoML benchmark, in a process of its own so that its peak memory is
 * its own: runs the 10-candidate job on `rows` generated churn-like rows, or on the CSV file
 * FILE (its bytes, as the CLI reads them) of `rows` rows with target TARGET; prints one JSON line.
 */
const [rowsArgument, file, target] = process.argv.slice(2) as [string, string | undefined, string | undefined];
const rows = Number(rowsArgument);
const csv = file ? readFileSync(file) : generateChurn({ rows, seed: 1 });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await runAutoML({ csv, target: target ?? "Churn?", maxCandidates: 10, seed: 0 });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const completed = result.leaderboard.filter((entry) => entry.status === "Completed").length;
console.log(
  JSON.stringify({
    rows,
    validation: result.validation.kind === "holdout" ? `holdout of ${result.validation.scoredRows} rows` : `${result.validation.rounds}-fold cross-validation`,
    seconds: round(seconds, 1),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
    secondsPer1000Rows: round((seconds / rows) * 1000, 3),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    candidatesCompleted: completed,
    best: { name: result.best.name, cvF1: round(result.leaderboard[0]!.objective!, 4) },
  }),
);

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

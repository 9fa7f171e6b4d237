import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PYTHON = "/usr/bin/python3";
const PEERS = join(ROOT, "bench/automl-quality.py");
/** Sets smaller than Autopilot's 500 rows run with the engine's own minimum lowered to this. */
const MIN_ROWS = 100;
const PEER_NAMES = ["xgboost", "histGradientBoosting", "linear"] as const;

type Scores = Record<string, number>;
interface Meta {
  name: string;
  problemType: string;
  rows: number;
  trainRows: number;
  columns: number;
}
export interface QualityRow {
  set: string;
  problemType: string;
  rows: string;
  engine: Scores | { failed: string };
  peers: Partial<Record<(typeof PEER_NAMES)[number], Scores>>;
  /** The engine's figure over the best peer's: log loss and RMSE (lower is better), accuracy / F1 (higher is better). */
  ratioToBestPeer: Scores;
  engineSeconds?: number;
  enginePeakRssMiB?: number;
}

/**
 * The engine's 10-candidate job against Debian's XGBoost 1.7 and scikit-learn's HistGradientBoosting
 * (both at their defaults) and a linear model (logistic regression / ridge), on scikit-learn's
 * bundled data sets, generated California-housing-like, Friedman #1 and house-sales tables, and two
 * generated 50,000-row messy tables: one 80/20 split per set, every model scored on the same test
 * rows by scikit-learn's metrics (bench/automl-quality.py). The engine runs each set in a process
 * of its own, for its peak memory.
 */
export function benchAutomlQuality(only: readonly string[] = []): { rows: QualityRow[]; versions?: Record<string, string> } | { unavailable: string } {
  const probe = spawnSync(PYTHON, ["-c", "import xgboost, sklearn, pandas"], { encoding: "utf8" });
  if (probe.status !== 0) return { unavailable: `${PYTHON} cannot import xgboost, sklearn and pandas (apt-get install python3-xgboost python3-sklearn python3-pandas)` };
  const dir = mkdtempSync(join(tmpdir(), "bench-automl-quality-"));
  try {
    const names = JSON.parse(execFileSync(PYTHON, [PEERS, "generate", dir, ...only], { encoding: "utf8" })) as string[];
    let versions: Record<string, string> | undefined;
    const rows = names.map((name): QualityRow => {
      const meta = JSON.parse(readFileSync(join(dir, name, "meta.json"), "utf8")) as Meta;
      process.stderr.write(`bench automl quality: ${name} (${meta.trainRows} training rows)\n`);
      const engineRun = runEngine(dir, name, meta);
      const peers = JSON.parse(execFileSync(PYTHON, [PEERS, "peers", dir, name], { encoding: "utf8", maxBuffer: 1 << 22 })) as { results: Record<string, Scores>; versions: Record<string, string> };
      versions = peers.versions;
      const engine = engineRun.failed === undefined ? peers.results["engine"]! : { failed: engineRun.failed };
      const peerScores = Object.fromEntries(PEER_NAMES.map((peer) => [peer, roundAll(peers.results[peer]!)]));
      return {
        set: name,
        problemType: meta.problemType,
        rows: `${meta.trainRows} train / ${meta.rows - meta.trainRows} test, ${meta.columns} columns`,
        engine: "failed" in engine ? engine : roundAll(engine),
        peers: peerScores,
        ratioToBestPeer: "failed" in engine ? {} : ratios(engine, Object.values(peers.results).filter((scores) => scores !== peers.results["engine"])),
        ...(engineRun.seconds !== undefined && { engineSeconds: engineRun.seconds }),
        ...(engineRun.peakRssMiB !== undefined && { enginePeakRssMiB: engineRun.peakRssMiB }),
      };
    });
    return { rows, ...(versions && { versions }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runEngine(dir: string, name: string, meta: Meta): { seconds?: number; peakRssMiB?: number; failed?: string } {
  const args = ["--import", "tsx", join(ROOT, "bench/automl-quality-job.ts"), dir, name, ...(meta.trainRows < 500 ? [String(MIN_ROWS)] : [])];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 22 });
  if (run.status !== 0) return { failed: (run.stderr || run.error?.message || "").trim().split("\n").slice(-3).join(" ") };
  const line = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { seconds: number; peakRssMiB: number };
  return { seconds: line.seconds, peakRssMiB: line.peakRssMiB };
}

/** Peak memory allowed to a job on 50,000 rows of 30 columns. */
const PEAK_RSS_MIB_AT_50K = 600;

/** Where the engine trails the best peer on log loss or RMSE, fails, or outgrows its memory. */
export function qualityTargetsMissed(quality: ReturnType<typeof benchAutomlQuality>): string[] {
  if ("unavailable" in quality) return [];
  return quality.rows.flatMap((row) => {
    if ("failed" in row.engine) return [`${row.set}: the engine failed (${row.engine.failed})`];
    const missed = Object.entries(row.ratioToBestPeer)
      .filter(([key, ratio]) => (key === "logLoss" || key === "rmse") && ratio > 1)
      .map(([key, ratio]) => `${row.set}: ${key} ${ratio}x the best peer's`);
    if (row.set.endsWith("50k") && (row.enginePeakRssMiB ?? 0) > PEAK_RSS_MIB_AT_50K) missed.push(`${row.set}: peak memory ${row.enginePeakRssMiB} MiB`);
    return missed;
  });
}

/** Lower is better for these; higher for the rest. */
const LOWER_IS_BETTER = new Set(["logLoss", "rmse", "mae"]);

function ratios(engine: Scores, peers: readonly Scores[]): Scores {
  const keys = ["logLoss", "accuracy", "f1", "f1macro", "rmse"].filter((key) => engine[key] !== undefined);
  return Object.fromEntries(
    keys.map((key) => {
      const values = peers.map((peer) => peer[key]!);
      const best = LOWER_IS_BETTER.has(key) ? Math.min(...values) : Math.max(...values);
      return [key, round(engine[key]! / best, 3)];
    }),
  );
}

function roundAll(scores: Scores): Scores {
  return Object.fromEntries(Object.entries(scores).map(([key, value]) => [key, round(value, key === "seconds" ? 2 : 4)]));
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

import { createRandom, shuffle } from "../../../../automl/rng.ts";

/** Scored rows: targets, and the model's output with `width` values per row. */
export interface ScoredSample {
  y: Float64Array;
  output: Float64Array;
  width: number;
}

/** A metric as Model Monitor reports it; "NaN" where there is no number, as in its JSON. */
export type ReportNumber = number | "NaN";
export interface MeasuredMetric {
  value: ReportNumber;
  standard_deviation: ReportNumber;
}

/**
 * "Standard deviation for metrics are provided only when at least 200 samples are available.
 * Model Monitor computes standard deviation by randomly sampling 80% of the data 5 times, computing
 * the metric, and taking the standard deviation for those results."
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html)
 * The samples are drawn without replacement from a fixed seed, so a report is reproducible; the
 * deviation is the population one (NumPy's default), as AWS does not say which.
 */
export const SPREAD_MIN_ROWS = 200;
const SPREAD_SAMPLES = 5;
const SPREAD_SHARE = 0.8;

/** The five 80% subsamples, or none below 200 rows. */
export function spreadSamples(sample: ScoredSample, seed: number): ScoredSample[] {
  const rows = sample.y.length;
  if (rows < SPREAD_MIN_ROWS) return [];
  const random = createRandom(seed);
  const size = Math.round(rows * SPREAD_SHARE);
  return Array.from({ length: SPREAD_SAMPLES }, () => {
    const picked = shuffle(Int32Array.from({ length: rows }, (_, i) => i), random).subarray(0, size).sort();
    const output = new Float64Array(size * sample.width);
    picked.forEach((row, i) => output.set(sample.output.subarray(row * sample.width, (row + 1) * sample.width), i * sample.width));
    return { y: Float64Array.from(picked, (row) => sample.y[row]!), output, width: sample.width };
  });
}

export function measure(metric: (sample: ScoredSample) => number, sample: ScoredSample, spread: readonly ScoredSample[]): MeasuredMetric {
  const value = metric(sample);
  if (spread.length === 0) return { value: reportNumber(value), standard_deviation: "NaN" };
  const values = spread.map(metric);
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const deviation = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
  return { value: reportNumber(value), standard_deviation: reportNumber(deviation) };
}

export function reportNumber(value: number): ReportNumber {
  return Number.isFinite(value) ? value : "NaN";
}

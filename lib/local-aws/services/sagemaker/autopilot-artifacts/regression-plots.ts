/**
 * The data behind the model quality report's regression charts
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-model-insights.html): actual against
 * predicted with a linear line of best fit, and the distribution of standardized residuals
 * (residual over the residuals' standard deviation). AWS does not publish this data's JSON shape;
 * the keys follow Model Monitor's snake_case and curves' parallel arrays.
 */
export interface RegressionPlots {
  actual_vs_predicted: { actual: number[]; predicted: number[]; line_of_best_fit: { slope: number; intercept: number } };
  standardized_residual_histogram: { bin_edges: number[]; counts: number[] };
  residuals: { mean: number; standard_deviation: number; min: number; max: number };
}

/** Rows plotted at most (evenly spaced through the scored rows); the fit and histogram use every row. */
export const MAX_PLOTTED_ROWS = 1000;
const HISTOGRAM_BINS = 20;

export function regressionPlots(actual: Float64Array, predicted: Float64Array): RegressionPlots {
  const n = actual.length;
  const residuals = Float64Array.from(actual, (value, i) => value - predicted[i]!);
  const residualMean = meanOf(residuals);
  const deviation = Math.sqrt(meanOf(residuals.map((r) => (r - residualMean) ** 2)));
  const residualRange = rangeOf(residuals);
  const plotted = Array.from({ length: Math.min(n, MAX_PLOTTED_ROWS) }, (_, i) => (n <= MAX_PLOTTED_ROWS ? i : Math.round((i * (n - 1)) / (MAX_PLOTTED_ROWS - 1))));
  return {
    actual_vs_predicted: {
      actual: plotted.map((row) => actual[row]!),
      predicted: plotted.map((row) => predicted[row]!),
      line_of_best_fit: leastSquares(actual, predicted),
    },
    standardized_residual_histogram: histogram(residuals.map((r) => (deviation > 0 ? r / deviation : 0))),
    residuals: { mean: residualMean, standard_deviation: deviation, min: residualRange.low, max: residualRange.high },
  };
}

/** predicted ≈ slope · actual + intercept. */
function leastSquares(x: Float64Array, y: Float64Array): { slope: number; intercept: number } {
  const mx = meanOf(x);
  const my = meanOf(y);
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < x.length; i++) {
    covariance += (x[i]! - mx) * (y[i]! - my);
    variance += (x[i]! - mx) ** 2;
  }
  const slope = variance === 0 ? 0 : covariance / variance;
  return { slope, intercept: my - slope * mx };
}

/** Equal-width bins from the smallest value to the largest, the last bin closed. */
function histogram(values: Float64Array): { bin_edges: number[]; counts: number[] } {
  const { low, high } = rangeOf(values);
  const width = (high - low) / HISTOGRAM_BINS || 1;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const value of values) counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((value - low) / width))]!++;
  return { bin_edges: Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => low + i * width), counts };
}

/** The smallest and largest value, by a loop: spreading a data-sized array into Math.min overflows the stack. */
function rangeOf(values: Float64Array): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { low, high };
}

function meanOf(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

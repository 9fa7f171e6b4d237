import { Random } from "../random.ts";
import type { Matrix } from "../types.ts";
import { sparseRows, type SparseRows } from "./histogram.ts";

/**
 * How each feature's values map to histogram bins: real bins 0..realBins-1 cut at quantiles,
 * then one more bin for missing values.
 */
export interface FeatureBins {
  /**
   * Per feature, the upper edge of every real bin but the last, which is unbounded: a value v
   * falls in the first bin b with v <= upperEdges[b].
   */
  upperEdges: Float64Array[];
  /** Real bins per feature; it is also the index of the feature's missing-value bin. */
  realBins: Int32Array;
  /** Where each feature's bins start in a node histogram. */
  offsets: Int32Array;
  /** Histogram slots over all features, missing-value bins included. */
  totalBins: number;
}

/** A training matrix binned: its bins, each value's bin (column-major) and its sparse rows. */
export interface BinnedMatrix {
  bins: FeatureBins;
  columns: Uint8Array;
  sparseRows: SparseRows;
}

/**
 * Binning depends only on the matrix and maxBins, and a search fits many candidates on the same
 * fold: it is done once per matrix (by identity; matrices are never modified) and maxBins.
 */
const binnedMatrices = new WeakMap<Float32Array, Map<number, BinnedMatrix>>();

export function binMatrix(X: Matrix, maxBins: number): BinnedMatrix {
  const byMaxBins = binnedMatrices.get(X.values) ?? new Map<number, BinnedMatrix>();
  binnedMatrices.set(X.values, byMaxBins);
  let binned = byMaxBins.get(maxBins);
  if (!binned) {
    const bins = fitFeatureBins(X, maxBins);
    const columns = binColumns(X, bins);
    binned = { bins, columns, sparseRows: sparseRows(columns, X.rows, bins) };
    byMaxBins.set(maxBins, binned);
  }
  return binned;
}

/** Bin indices must fit a byte, the missing-value bin included. */
export const MAX_REAL_BINS = 255;
/** Edges are cut on at most this many rows (as LightGBM's bin_construct_sample_cnt, smaller). */
const EDGE_SAMPLE_ROWS = 50_000;
/** Binning depends on the data only, never on a learner's seed. */
const EDGE_SAMPLE_SEED = 0x5eed;

export function fitFeatureBins(X: Matrix, maxBins: number): FeatureBins {
  const sampleRows =
    X.rows > EDGE_SAMPLE_ROWS ? new Random(EDGE_SAMPLE_SEED).sampleSorted(X.rows, EDGE_SAMPLE_ROWS) : undefined;
  const sampleCount = sampleRows?.length ?? X.rows;
  const column = new Float32Array(sampleCount);
  const upperEdges: Float64Array[] = [];
  const realBins = new Int32Array(X.cols);
  const offsets = new Int32Array(X.cols);
  let totalBins = 0;
  for (let f = 0; f < X.cols; f++) {
    let present = 0;
    for (let i = 0; i < sampleCount; i++) {
      const value = X.values[(sampleRows?.[i] ?? i) * X.cols + f]!;
      if (value === value) column[present++] = value;
    }
    const edges = quantileUpperEdges(column.subarray(0, present).sort(), maxBins);
    upperEdges.push(edges);
    realBins[f] = edges.length + 1;
    offsets[f] = totalBins;
    totalBins += edges.length + 2;
  }
  return { upperEdges, realBins, offsets, totalBins };
}

/**
 * Upper bin edges for sorted values: one bin per distinct value when they are few, otherwise
 * bins of about equal counts that never split a run of equal values, a run as large as a bin
 * getting a bin of its own.
 */
function quantileUpperEdges(sorted: Float32Array, maxBins: number): Float64Array {
  const runEnds: number[] = [];
  for (let i = 1; i <= sorted.length; i++) {
    if (i === sorted.length || sorted[i] !== sorted[i - 1]) runEnds.push(i);
  }
  const edges: number[] = [];
  /** Cuts between sorted[end - 1] and sorted[end]. */
  const cutBefore = (end: number): void => {
    edges.push((sorted[end - 1]! + sorted[end]!) / 2);
  };
  if (runEnds.length <= maxBins) {
    for (const end of runEnds.slice(0, -1)) cutBefore(end);
    return Float64Array.from(edges);
  }
  let binStart = 0;
  const binTarget = (): number => (sorted.length - binStart) / (maxBins - edges.length);
  let runStart = 0;
  for (const runEnd of runEnds.slice(0, -1)) {
    if (runStart > binStart && runEnd - runStart >= binTarget() && edges.length < maxBins - 2) {
      cutBefore(runStart);
      binStart = runStart;
    }
    if (runEnd - binStart >= binTarget() && edges.length < maxBins - 1) {
      cutBefore(runEnd);
      binStart = runEnd;
    }
    runStart = runEnd;
  }
  return Float64Array.from(edges);
}

/** Each value's bin, column-major: feature f's bins are binned[f * rows .. (f + 1) * rows). */
export function binColumns(X: Matrix, bins: FeatureBins): Uint8Array {
  const binned = new Uint8Array(X.rows * X.cols);
  for (let f = 0; f < X.cols; f++) {
    const edges = bins.upperEdges[f]!;
    const missingBin = bins.realBins[f]!;
    const column = binned.subarray(f * X.rows, (f + 1) * X.rows);
    for (let row = 0; row < X.rows; row++) {
      const value = X.values[row * X.cols + f]!;
      column[row] = value === value ? binOf(value, edges) : missingBin;
    }
  }
  return binned;
}

/** The first bin whose upper edge is at least the value (binary search); the last bin if none. */
function binOf(value: number, edges: Float64Array): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= edges[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}

import type { FeatureBins } from "./binning.ts";

/**
 * The training rows as histograms read them: per row, the slots (offsets[feature] + bin) of its
 * values outside their feature's most frequent bin. That bin is recovered per node as the node's
 * totals minus the feature's other bins (LightGBM's sparse-bin trick), so one-hot and mostly-zero
 * columns cost almost nothing.
 */
export interface SparseRows {
  /** Row r's slots are slots[rowStart[r]] .. slots[rowStart[r + 1] - 1]. */
  rowStart: Int32Array;
  slots: Int32Array;
  /** Per feature, the slot of its most frequent bin. */
  commonSlot: Int32Array;
}

/** @param columns column-major bins, as `binColumns` makes them */
export function sparseRows(columns: Uint8Array, rowCount: number, bins: FeatureBins): SparseRows {
  const cols = bins.offsets.length;
  const slotOf = (row: number, f: number): number => bins.offsets[f]! + columns[f * rowCount + row]!;
  const counts = new Int32Array(bins.totalBins);
  for (let f = 0; f < cols; f++) for (let row = 0; row < rowCount; row++) counts[slotOf(row, f)]!++;
  const commonSlot = new Int32Array(cols);
  for (let f = 0; f < cols; f++) {
    const start = bins.offsets[f]!;
    let common = start;
    for (let slot = start + 1; slot <= start + bins.realBins[f]!; slot++) {
      if (counts[slot]! > counts[common]!) common = slot;
    }
    commonSlot[f] = common;
  }

  const rowStart = new Int32Array(rowCount + 1);
  for (let row = 0; row < rowCount; row++) {
    let uncommon = 0;
    for (let f = 0; f < cols; f++) if (slotOf(row, f) !== commonSlot[f]) uncommon++;
    rowStart[row + 1] = rowStart[row]! + uncommon;
  }
  const slots = new Int32Array(rowStart[rowCount]!);
  let next = 0;
  for (let row = 0; row < rowCount; row++) {
    for (let f = 0; f < cols; f++) {
      const slot = slotOf(row, f);
      if (slot !== commonSlot[f]) slots[next++] = slot;
    }
  }
  return { rowStart, slots, commonSlot };
}

/**
 * Node histograms: the sums of gradient and hessian of a node's rows per feature bin, stored as
 * [gradient, hessian] pairs at slot 2 * (offsets[feature] + bin). Buffers are pooled and reused
 * across nodes and trees.
 */
export class Histograms {
  private readonly pool: Float64Array[] = [];

  constructor(
    private readonly rows: SparseRows,
    private readonly bins: FeatureBins,
  ) {}

  acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(2 * this.bins.totalBins);
  }

  release(histogram: Float64Array): void {
    this.pool.push(histogram);
  }

  /**
   * Fills `histogram` from rows[start..end), whose gradients and hessians (interleaved in
   * `gradHess`) sum to `gradSum` and `hessSum`.
   */
  build(
    histogram: Float64Array,
    rows: Int32Array,
    start: number,
    end: number,
    gradHess: Float64Array,
    gradSum: number,
    hessSum: number,
  ): void {
    histogram.fill(0);
    const { rowStart, slots } = this.rows;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      const grad = gradHess[2 * row]!;
      const hess = gradHess[2 * row + 1]!;
      const last = rowStart[row + 1]!;
      for (let k = rowStart[row]!; k < last; k++) {
        const slot = slots[k]! << 1;
        histogram[slot]! += grad;
        histogram[slot + 1]! += hess;
      }
    }
    this.recoverCommonBins(histogram, gradSum, hessSum);
  }

  private recoverCommonBins(histogram: Float64Array, gradSum: number, hessSum: number): void {
    const { offsets, realBins } = this.bins;
    for (let f = 0; f < offsets.length; f++) {
      const start = offsets[f]! << 1;
      const end = (offsets[f]! + realBins[f]! + 1) << 1;
      let grad = 0;
      let hess = 0;
      for (let i = start; i < end; i += 2) {
        grad += histogram[i]!;
        hess += histogram[i + 1]!;
      }
      const common = this.rows.commonSlot[f]! << 1;
      histogram[common] = gradSum - grad;
      histogram[common + 1] = hessSum - hess;
    }
  }
}

/** Turns a parent's histogram into its other child's: parent minus the child built directly. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i]! -= child[i]!;
}

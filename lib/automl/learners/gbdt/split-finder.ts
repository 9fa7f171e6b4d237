import type { FeatureBins } from "./binning.ts";

/** The regularization that decides splits and leaf outputs (XGBoost's objective). */
export interface SplitCriteria {
  /** L2 penalty on leaf outputs. */
  lambda: number;
  /** L1 penalty on leaf outputs. */
  alpha: number;
  /** Minimum loss reduction a split must bring. */
  gamma: number;
  /** Minimum hessian sum in each child. */
  minChildWeight: number;
}

export interface Split {
  /** Loss reduction, gamma subtracted: positive for a split worth making. */
  gain: number;
  feature: number;
  /** Rows in real bins up to this one go left. */
  bin: number;
  /** Where the missing values go; when the node had none, toward the child with more hessian. */
  missingLeft: boolean;
  leftGrad: number;
  leftHess: number;
}

/**
 * The best split of a node from its histogram: each threshold between non-empty bins with the
 * node's missing values sent right, then left, and missing versus present. Undefined when no
 * split reduces the loss by more than gamma while leaving each child minChildWeight.
 */
export function findBestSplit(
  histogram: Float64Array,
  features: Int32Array,
  bins: FeatureBins,
  gradSum: number,
  hessSum: number,
  criteria: SplitCriteria,
): Split | undefined {
  const search = new SplitSearch(gradSum, hessSum, criteria);
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const firstSlot = bins.offsets[f]! << 1;
    const missingSlot = (bins.offsets[f]! + bins.realBins[f]!) << 1;
    const missingGrad = histogram[missingSlot]!;
    const missingHess = histogram[missingSlot + 1]!;
    const hasMissing = missingHess !== 0;
    search.scan(histogram, f, firstSlot, missingSlot - 2, 0, 0, false, hasMissing);
    if (hasMissing) search.scan(histogram, f, firstSlot, missingSlot - 2, missingGrad, missingHess, true, false);
  }
  if (search.feature < 0) return undefined;
  const gain = 0.5 * (search.score - leafScore(gradSum, hessSum, criteria.lambda, criteria.alpha)) - criteria.gamma;
  if (!(gain > 0)) return undefined;
  const bestMissingHess = histogram[((bins.offsets[search.feature]! + bins.realBins[search.feature]!) << 1) + 1]!;
  return {
    gain,
    feature: search.feature,
    bin: search.bin,
    missingLeft: bestMissingHess !== 0 ? search.missingLeft : search.leftHess >= hessSum - search.leftHess,
    leftGrad: search.leftGrad,
    leftHess: search.leftHess,
  };
}

/** The best candidate so far over a node's features. */
class SplitSearch {
  score = -Infinity;
  feature = -1;
  bin = 0;
  missingLeft = false;
  leftGrad = 0;
  leftHess = 0;
  private readonly minHess: number;

  constructor(
    private readonly gradSum: number,
    private readonly hessSum: number,
    private readonly criteria: SplitCriteria,
  ) {
    // The relative floor rejects a child emptied up to rounding when minChildWeight is 0.
    this.minHess = Math.max(criteria.minChildWeight, 1e-10 * hessSum);
  }

  /**
   * Scans one feature's real bins left to right, the left child starting from the given sums
   * (the missing values' when they go left); the last bin is a candidate only when asked.
   */
  scan(
    histogram: Float64Array,
    feature: number,
    firstSlot: number,
    lastSlot: number,
    startGrad: number,
    startHess: number,
    missingLeft: boolean,
    includeLast: boolean,
  ): void {
    const { gradSum, hessSum, minHess } = this;
    const { lambda, alpha } = this.criteria;
    let leftGrad = startGrad;
    let leftHess = startHess;
    const endSlot = includeLast ? lastSlot : lastSlot - 2;
    let bestScore = this.score;
    for (let slot = firstSlot; slot <= endSlot; slot += 2) {
      const binHess = histogram[slot + 1]!;
      if (binHess === 0) continue;
      leftGrad += histogram[slot]!;
      leftHess += binHess;
      const rightHess = hessSum - leftHess;
      if (leftHess < minHess || rightHess < minHess) continue;
      const score =
        leafScore(leftGrad, leftHess, lambda, alpha) + leafScore(gradSum - leftGrad, rightHess, lambda, alpha);
      if (score > bestScore) {
        bestScore = score;
        this.score = score;
        this.feature = feature;
        this.bin = (slot - firstSlot) >> 1;
        this.missingLeft = missingLeft;
        this.leftGrad = leftGrad;
        this.leftHess = leftHess;
      }
    }
  }
}

/** The leaf output minimizing the second-order loss: -T(G) / (H + lambda), T soft-thresholding by alpha. */
export function leafWeight(gradSum: number, hessSum: number, criteria: SplitCriteria): number {
  return -softThreshold(gradSum, criteria.alpha) / (hessSum + criteria.lambda);
}

/** Twice the loss reduction of a leaf at its optimal output: T(G)^2 / (H + lambda). */
function leafScore(gradSum: number, hessSum: number, lambda: number, alpha: number): number {
  const shrunk = Math.max(Math.abs(gradSum) - alpha, 0);
  return (shrunk * shrunk) / (hessSum + lambda);
}

function softThreshold(value: number, alpha: number): number {
  return Math.sign(value) * Math.max(Math.abs(value) - alpha, 0);
}

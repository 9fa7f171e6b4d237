/**
 * Regression targets standardized to mean 0 and unit variance, so that regularization strengths
 * and learning rates mean the same whatever the target's units. Models trained on the scaled
 * target fold `mean` and `scale` back into their output layer.
 */
export interface ScaledTarget {
  values: Float64Array;
  mean: number;
  scale: number;
}

export function standardizeTarget(y: Float64Array, weights: Float64Array | undefined): ScaledTarget {
  let weightSum = 0;
  let sum = 0;
  for (let r = 0; r < y.length; r++) {
    const w = weights?.[r] ?? 1;
    weightSum += w;
    sum += w * y[r]!;
  }
  const mean = sum / weightSum;
  let squares = 0;
  for (let r = 0; r < y.length; r++) squares += (weights?.[r] ?? 1) * (y[r]! - mean) ** 2;
  const deviation = Math.sqrt(squares / weightSum);
  const scale = deviation > 0 ? deviation : 1;
  return { values: y.map((value) => (value - mean) / scale), mean, scale };
}

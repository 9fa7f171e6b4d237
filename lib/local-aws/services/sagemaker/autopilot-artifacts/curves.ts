/** ROC and precision-recall curves of binary scores (class 1 positive), in Model Monitor's shape. */

export interface RocCurve {
  false_positive_rates: number[];
  true_positive_rates: number[];
}

export interface PrecisionRecallCurve {
  precisions: number[];
  recalls: number[];
}

/**
 * Points kept per curve: enough to draw it, few enough to keep the report small on 50,000 scored
 * rows. AWS does not say how many points its curves hold.
 */
export const MAX_CURVE_POINTS = 1001;

/** Cumulative counts of positives and negatives above each distinct score, highest score first. */
function thresholdCounts(y: Float64Array, scores: Float64Array): { tp: number[]; fp: number[]; positives: number; negatives: number } {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const tp: number[] = [];
  const fp: number[] = [];
  let truePositives = 0;
  let falsePositives = 0;
  order.forEach((row, i) => {
    if (y[row] === 1) truePositives++;
    else falsePositives++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[row]) {
      tp.push(truePositives);
      fp.push(falsePositives);
    }
  });
  return { tp, fp, positives: truePositives, negatives: falsePositives };
}

/** From (0, 0), one point per distinct score, to (1, 1). */
export function rocCurve(y: Float64Array, scores: Float64Array): RocCurve {
  const { tp, fp, positives, negatives } = thresholdCounts(y, scores);
  const points = [[0, 0], ...tp.map((count, i) => [fp[i]! / Math.max(negatives, 1), count / Math.max(positives, 1)])] as [number, number][];
  const kept = thin(points);
  return { false_positive_rates: kept.map(([x]) => x), true_positive_rates: kept.map(([, yValue]) => yValue) };
}

/** From recall 0 at precision 1, one point per distinct score, to recall 1. */
export function precisionRecallCurve(y: Float64Array, scores: Float64Array): PrecisionRecallCurve {
  const { tp, fp, positives } = thresholdCounts(y, scores);
  const points = [[0, 1], ...tp.map((count, i) => [count / Math.max(positives, 1), count / (count + fp[i]!)])] as [number, number][];
  const kept = thin(points);
  return { recalls: kept.map(([recall]) => recall), precisions: kept.map(([, precision]) => precision) };
}

/** Evenly spaced points, the first and last always among them, when there are too many. */
function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_CURVE_POINTS) return points;
  return Array.from({ length: MAX_CURVE_POINTS }, (_, i) => points[Math.round((i * (points.length - 1)) / (MAX_CURVE_POINTS - 1))]!);
}

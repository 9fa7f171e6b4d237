import type { Task } from "../learners/types.ts";
import { applyOutputMap, logit, safeLog, sigmoid, type OutputMap } from "../output-maps.ts";

/**
 * Post-hoc calibration of a candidate's validation output (out of fold under cross-validation):
 * Platt scaling for binary problems, temperature scaling for multiclass ones, an affine refit for
 * regression. Each has one or two parameters, so it cannot overfit thousands of rows the way
 * isotonic regression's step function can, and each keeps the order of the scores: the ranking
 * (AUC), every row's most probable class, and so the best a tuned threshold can reach, stay as
 * they were. Undefined when the output gives nothing to fit (a constant score, one class).
 */
export function fitCalibration(task: Task, y: Float64Array, output: Float64Array): OutputMap | undefined {
  if (task.kind === "binary") return fitPlatt(y, output);
  if (task.kind === "multiclass") return fitTemperature(y, output, task.classes);
  return fitAffine(y, output);
}

/**
 * The output calibrated part by part, each part by a map fitted on the other parts' rows, so that
 * no row is calibrated by a map that saw it: an honest estimate of what calibration gains.
 */
export function crossFittedCalibration(task: Task, y: Float64Array, output: Float64Array, parts: readonly Int32Array[]): Float64Array | undefined {
  const width = task.kind === "multiclass" ? task.classes : 1;
  const calibrated = new Float64Array(output.length);
  for (const part of parts) {
    const inPart = new Uint8Array(y.length);
    for (const position of part) inPart[position] = 1;
    const others = new Int32Array(y.length - part.length);
    for (let position = 0, k = 0; position < y.length; position++) if (!inPart[position]) others[k++] = position;
    const map = fitCalibration(task, gather(y, others, 1), gather(output, others, width));
    if (!map) return undefined;
    const mapped = applyOutputMap(map, gather(output, part, width));
    part.forEach((position, i) => calibrated.set(mapped.subarray(i * width, (i + 1) * width), position * width));
  }
  return calibrated;
}

function gather(values: Float64Array, positions: Int32Array, width: number): Float64Array {
  const gathered = new Float64Array(positions.length * width);
  positions.forEach((position, i) => gathered.set(values.subarray(position * width, (position + 1) * width), i * width));
  return gathered;
}

const NEWTON_ITERATIONS = 50;
const CONVERGED = 1e-10;

/** Platt scaling: slope and intercept on the logit of P(class 1) by Newton's method on the log loss. */
function fitPlatt(y: Float64Array, p: Float64Array): OutputMap | undefined {
  const z = p.map(logit);
  const loss = (a: number, b: number): number => {
    let total = 0;
    for (let i = 0; i < z.length; i++) {
      const s = a * z[i]! + b;
      // -log σ(s) = softplus(-s); -log(1 - σ(s)) = softplus(s)
      total += y[i] === 1 ? softplus(-s) : softplus(s);
    }
    return total / z.length;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < NEWTON_ITERATIONS; iteration++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < z.length; i++) {
      const q = sigmoid(a * z[i]! + b);
      const residual = q - y[i]!;
      const weight = q * (1 - q);
      ga += residual * z[i]!;
      gb += residual;
      haa += weight * z[i]! * z[i]!;
      hab += weight * z[i]!;
      hbb += weight;
    }
    const determinant = haa * hbb - hab * hab;
    if (!(determinant > 1e-12 * Math.max(1, haa * hbb))) return undefined;
    let da = -(hbb * ga - hab * gb) / determinant;
    let db = -(haa * gb - hab * ga) / determinant;
    let next = loss(a + da, b + db);
    for (let halving = 0; halving < 30 && !(next <= current); halving++) {
      da /= 2;
      db /= 2;
      next = loss(a + da, b + db);
    }
    if (!(next <= current)) break;
    a += da;
    b += db;
    const gain = current - next;
    current = next;
    if (gain < CONVERGED) break;
  }
  return a > 0 && Number.isFinite(b) ? { kind: "platt", slope: a, intercept: b } : undefined;
}

/** Temperature scaling: one factor on the log probabilities by Newton's method on the log loss. */
function fitTemperature(y: Float64Array, p: Float64Array, classes: number): OutputMap | undefined {
  const logs = p.map(safeLog);
  const rows = y.length;
  /** Log loss, and its first and second derivatives in the factor. */
  const evaluate = (factor: number): [number, number, number] => {
    let loss = 0, first = 0, second = 0;
    for (let row = 0; row < rows; row++) {
      const offset = row * classes;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, factor * logs[offset + c]!);
      let sum = 0, mean = 0, square = 0;
      for (let c = 0; c < classes; c++) {
        const e = Math.exp(factor * logs[offset + c]! - max);
        sum += e;
        mean += e * logs[offset + c]!;
        square += e * logs[offset + c]! ** 2;
      }
      mean /= sum;
      const truth = logs[offset + y[row]!]!;
      loss += max + Math.log(sum) - factor * truth;
      first += mean - truth;
      second += square / sum - mean * mean;
    }
    return [loss / rows, first / rows, second / rows];
  };
  let factor = 1;
  let [current, first, second] = evaluate(factor);
  for (let iteration = 0; iteration < NEWTON_ITERATIONS && second > 0; iteration++) {
    let step = -first / second;
    let next = evaluate(Math.max(0.01, factor + step));
    for (let halving = 0; halving < 30 && !(next[0] <= current); halving++) {
      step /= 2;
      next = evaluate(Math.max(0.01, factor + step));
    }
    if (!(next[0] <= current)) break;
    const gain = current - next[0];
    factor = Math.max(0.01, factor + step);
    [current, first, second] = next;
    if (gain < CONVERGED) break;
  }
  return Number.isFinite(factor) && factor !== 1 ? { kind: "temperature", classes, inverseTemperature: factor } : undefined;
}

/** Least squares of the target on the prediction. */
function fitAffine(y: Float64Array, predicted: Float64Array): OutputMap | undefined {
  const n = y.length;
  let meanY = 0, meanP = 0;
  for (let i = 0; i < n; i++) {
    meanY += y[i]! / n;
    meanP += predicted[i]! / n;
  }
  let covariance = 0, variance = 0;
  for (let i = 0; i < n; i++) {
    covariance += (predicted[i]! - meanP) * (y[i]! - meanY);
    variance += (predicted[i]! - meanP) ** 2;
  }
  if (!(variance > 0)) return undefined;
  const slope = covariance / variance;
  const intercept = meanY - slope * meanP;
  return Number.isFinite(slope) && Number.isFinite(intercept) ? { kind: "affine", slope, intercept } : undefined;
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

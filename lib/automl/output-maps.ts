/**
 * A map applied to a predictor's output, element by element (row by row for multiclass):
 * - `exp`: back from a model trained on log(target), clamped to the log range it was trained on;
 * - `platt`: binary calibration, P' = σ(slope · logit(P) + intercept) (Platt, 1999);
 * - `temperature`: multiclass calibration, P' = softmax(inverseTemperature · log P) (Guo et al.,
 *   2017), which keeps every row's most probable class;
 * - `affine`: regression recalibration, y' = intercept + slope · y.
 */
export type OutputMap =
  | { kind: "exp"; low: number; high: number }
  | { kind: "platt"; slope: number; intercept: number }
  | { kind: "temperature"; classes: number; inverseTemperature: number }
  | { kind: "affine"; slope: number; intercept: number };

/** Probabilities are kept this far from 0 and 1 before logs and logits. */
const PROBABILITY_FLOOR = 1e-12;

/** The mapped output as a new array, in the learners' layout (see `TrainedModel.predict`). */
export function applyOutputMap(map: OutputMap, output: Float64Array): Float64Array {
  switch (map.kind) {
    case "exp":
      return output.map((value) => Math.exp(Math.min(map.high, Math.max(map.low, value))));
    case "affine":
      return output.map((value) => map.intercept + map.slope * value);
    case "platt":
      return output.map((p) => sigmoid(map.slope * logit(p) + map.intercept));
    case "temperature":
      return temperatureScaled(output, map.classes, map.inverseTemperature);
  }
}

export function checkOutputMap(map: OutputMap): OutputMap {
  const numbers = Object.entries(map).filter(([key]) => key !== "kind");
  const known = ["exp", "platt", "temperature", "affine"];
  if (!known.includes(map.kind) || numbers.length === 0 || numbers.some(([, value]) => typeof value !== "number" || !Number.isFinite(value))) {
    throw new Error(`An output map is malformed: ${JSON.stringify(map)}`);
  }
  return map;
}

export function logit(p: number): number {
  const clamped = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, p));
  return Math.log(clamped / (1 - clamped));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function safeLog(p: number): number {
  return Math.log(Math.max(PROBABILITY_FLOOR, p));
}

function temperatureScaled(output: Float64Array, classes: number, inverseTemperature: number): Float64Array {
  const scaled = new Float64Array(output.length);
  for (let offset = 0; offset < output.length; offset += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, inverseTemperature * safeLog(output[offset + c]!));
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += scaled[offset + c] = Math.exp(inverseTemperature * safeLog(output[offset + c]!) - max);
    for (let c = 0; c < classes; c++) scaled[offset + c]! /= sum;
  }
  return scaled;
}

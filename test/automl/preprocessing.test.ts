import { describe, expect, it } from "vitest";
import { encodeFeatures, type FeatureColumn } from "../../lib/automl/encoding.ts";
import { fitPreprocessing, MIN_CATEGORY_ROWS, transform } from "../../lib/automl/preprocessing.ts";
import { RoundCache, runFit } from "../../lib/automl/search/fit-task.ts";
import { makeValidationSplit, roundRows } from "../../lib/automl/search/validation.ts";

const features: FeatureColumn[] = [
  { name: "amount", kind: "numeric" },
  { name: "member", kind: "boolean" },
  { name: "city", kind: "categorical" },
];

/** Rows 0..29 are the training rows; rows 30..39 hold values the training rows never show. */
function sample() {
  const rows: string[][] = [];
  for (let i = 0; i < 30; i++) rows.push([i === 3 ? "" : String(i % 10), i % 3 === 0 ? "yes" : "no", i < 12 ? "Paris" : i < 24 ? "Lyon" : i % 2 ? "Nice" : ""]);
  for (let i = 0; i < 10; i++) rows.push(["1000", "", "Tokyo"]);
  return encodeFeatures(rows, features, [0, 1, 2]);
}

const trainRows = Int32Array.from({ length: 30 }, (_, i) => i);
const testRows = Int32Array.from({ length: 10 }, (_, i) => 30 + i);

describe("preprocessing", () => {
  it("learns its statistics and categories from the training rows only", () => {
    const data = sample();
    const scaled = fitPreprocessing(data, trainRows, true);
    const [amount, member, city] = scaled.transforms;
    // amounts 0..9 three times with one gap: the 1000s of the other rows play no part.
    expect(amount).toMatchObject({ kind: "number", standardize: { fill: 5 } });
    if (amount?.kind !== "number") throw new Error("unreachable");
    expect(amount.standardize!.center).toBeCloseTo((3 * 45 - 3) / 29);
    expect(member).toMatchObject({ kind: "number", standardize: { fill: 0 } });
    // Paris and Lyon have 12 rows each; Nice (3 rows) is rare, Tokyo is never seen in training.
    expect(city).toEqual({ kind: "onehot", column: "city", categories: ["Lyon", "Paris"], other: true, fill: "Lyon" });
    expect(MIN_CATEGORY_ROWS).toBeGreaterThan(3);
  });

  it("scales for linear models and the MLP: imputed, standardized, one-hot with the most frequent filling gaps", () => {
    const data = sample();
    const preprocessing = fitPreprocessing(data, trainRows, true);
    const X = transform(preprocessing, data, trainRows);
    expect(X.cols).toBe(5);
    let mean = 0;
    for (let r = 0; r < X.rows; r++) mean += X.values[r * X.cols]!;
    expect(Math.abs(mean / X.rows)).toBeLessThan(0.1);
    expect(X.values.some(Number.isNaN)).toBe(false);
    // Row 24 has no city: it gets the most frequent one (Lyon, the first indicator).
    expect(Array.from(X.values.subarray(24 * 5 + 2, 24 * 5 + 5))).toEqual([1, 0, 0]);
    // An unseen category lands in "other".
    const unseen = transform(preprocessing, data, testRows);
    expect(Array.from(unseen.values.subarray(2, 5))).toEqual([0, 0, 1]);
  });

  it("keeps raw numbers and NaN for gradient-boosted trees, and missing categories as all zeros", () => {
    const data = sample();
    const preprocessing = fitPreprocessing(data, trainRows, false);
    const X = transform(preprocessing, data, Int32Array.from([3, 24, 30]));
    expect(Number.isNaN(X.values[0]!)).toBe(true);
    expect(Array.from(X.values.subarray(5 + 2, 5 + 5))).toEqual([0, 0, 0]);
    expect(X.values[10]).toBe(1000);
    expect(Number.isNaN(X.values[11]!)).toBe(true);
  });

  it("is fitted on the validation round's training rows when a candidate is trained", () => {
    const rows: string[][] = Array.from({ length: 600 }, (_, i) => [String(i), i % 2 ? "yes" : "no", i % 4 ? "a" : "b"]);
    const data = encodeFeatures(rows, features, [0, 1, 2]);
    const y = Float64Array.from({ length: 600 }, (_, i) => i % 2);
    const split = makeValidationSplit(y, 600, 1);
    const result = runFit({ data, y, split, task: { kind: "binary" }, seed: 1 }, { algorithm: "linear", params: {}, seed: 1, round: 2 }, new RoundCache());
    expect(result.predictor.preprocessing).toEqual(fitPreprocessing(data, roundRows(split, 2).train, true));
    expect(result.predictor.preprocessing).not.toEqual(fitPreprocessing(data, Int32Array.from(y.keys()), true));
    expect(result.output.length).toBe(roundRows(split, 2).test.length);
  });
});

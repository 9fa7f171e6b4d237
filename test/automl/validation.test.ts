import { describe, expect, it } from "vitest";
import { CROSS_VALIDATION_FOLDS, earlyStoppingSplit, makeValidationSplit, roundRows } from "../../lib/automl/search/validation.ts";

/** Labels with a 70/20/10 class mix, in a shuffled-looking order. */
function labels(rows: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => ((i * 7919) % 10 < 7 ? 0 : (i * 7919) % 10 < 9 ? 1 : 2));
}

const countClasses = (y: Float64Array, rows: Int32Array) => [0, 1, 2].map((c) => rows.filter((row) => y[row] === c).length);

describe("stratified k-fold", () => {
  const y = labels(1003);
  const split = makeValidationSplit(y, y.length, 7);

  it("makes five disjoint folds covering every row once", () => {
    expect(split.rounds).toBe(CROSS_VALIDATION_FOLDS);
    const seen = new Set<number>();
    for (let round = 0; round < split.rounds; round++) {
      const { train, test } = roundRows(split, round);
      expect(train.length + test.length).toBe(y.length);
      const testSet = new Set(test);
      expect(train.some((row) => testSet.has(row))).toBe(false);
      for (const row of test) {
        expect(seen.has(row)).toBe(false);
        seen.add(row);
      }
    }
    expect(seen.size).toBe(y.length);
  });

  it("keeps each class's share in every fold, and fold sizes within one row", () => {
    const totals = countClasses(y, Int32Array.from(y.keys()));
    const sizes: number[] = [];
    for (let round = 0; round < split.rounds; round++) {
      const { test } = roundRows(split, round);
      sizes.push(test.length);
      countClasses(y, test).forEach((count, c) => expect(Math.abs(count - totals[c]! / CROSS_VALIDATION_FOLDS)).toBeLessThanOrEqual(1));
    }
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("is the same for the same seed and differs for another", () => {
    expect(makeValidationSplit(y, y.length, 7).foldOf).toEqual(split.foldOf);
    expect(makeValidationSplit(y, y.length, 8).foldOf).not.toEqual(split.foldOf);
  });

  it("shuffles regression rows into five even folds", () => {
    const regression = makeValidationSplit(null, 1000, 1);
    for (let round = 0; round < 5; round++) expect(roundRows(regression, round).test.length).toBe(200);
  });
});

describe("holdout beyond 50,000 rows", () => {
  it("holds out a stratified 20% in a single round", () => {
    const y = labels(60_000);
    const split = makeValidationSplit(y, y.length, 3);
    expect(split.rounds).toBe(1);
    const { train, test } = roundRows(split, 0);
    expect(test.length).toBe(12_000);
    expect(train.length).toBe(48_000);
    const totals = countClasses(y, Int32Array.from(y.keys()));
    countClasses(y, test).forEach((count, c) => expect(Math.abs(count - totals[c]! * 0.2)).toBeLessThanOrEqual(1));
  });
});

describe("early-stopping split", () => {
  it("holds back a tenth of the training rows, disjoint from the rest", () => {
    const train = Int32Array.from({ length: 500 }, (_, i) => i * 2);
    const { fit, watch } = earlyStoppingSplit(train, 5);
    expect(watch.length).toBe(50);
    expect(fit.length).toBe(450);
    const all = new Set([...fit, ...watch]);
    expect(all).toEqual(new Set(train));
  });
});

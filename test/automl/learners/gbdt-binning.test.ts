import { describe, expect, it } from "vitest";
import { binColumns, fitFeatureBins } from "../../../lib/automl/learners/gbdt/binning.ts";
import { Histograms, sparseRows } from "../../../lib/automl/learners/gbdt/histogram.ts";
import { Random } from "../../../lib/automl/learners/random.ts";
import { generate, matrix } from "./synthetic.ts";

describe("feature bins", () => {
  it("gives each of few distinct values a bin, cut halfway, and missing values the last", () => {
    const X = matrix([[3], [1], [NaN], [2], [1], [3]]);
    const bins = fitFeatureBins(X, 255);
    expect(Array.from(bins.upperEdges[0]!)).toEqual([1.5, 2.5]);
    expect(bins.realBins[0]).toBe(3);
    expect(Array.from(binColumns(X, bins))).toEqual([2, 0, 3, 1, 0, 2]);
  });

  it("cuts many values into at most maxBins bins of at most an even share, a heavy value alone", () => {
    const random = new Random(3);
    const rows = Array.from({ length: 5000 }, () => [random.next() < 0.3 ? 0 : random.normal()]);
    const zeros = rows.filter(([value]) => value === 0).length;
    const X = matrix(rows);
    const bins = fitFeatureBins(X, 16);
    expect(bins.realBins[0]).toBe(16);
    const counts = new Array<number>(17).fill(0);
    for (const bin of binColumns(X, bins)) counts[bin]!++;
    const zeroBin = binColumns(matrix([[0]]), bins)[0]!;
    expect(counts[zeroBin]).toBe(zeros);
    counts.forEach((count, bin) => {
      if (bin !== zeroBin) expect(count).toBeLessThanOrEqual(Math.ceil(5000 / 16));
    });
  });

  it("lays out every feature's bins, missing included, one after another", () => {
    const bins = fitFeatureBins(matrix([[0, 5, 1], [1, 5, 2], [2, 5, 3]]), 255);
    expect(Array.from(bins.realBins)).toEqual([3, 1, 3]);
    expect(Array.from(bins.offsets)).toEqual([0, 4, 6]);
    expect(bins.totalBins).toBe(10);
  });
});

describe("histograms", () => {
  it("match a direct sum per bin, the skipped most frequent bins included", () => {
    const data = generate(700, 5, 4, () => 0);
    // Mostly-zero and partly missing columns exercise the skipped bins.
    for (let r = 0; r < 700; r++) {
      data.X.values[r * 5 + 1] = data.X.values[r * 5 + 1]! > 0.6 ? 1 : 0;
      if (r % 7 === 0) data.X.values[r * 5 + 2] = NaN;
    }
    const bins = fitFeatureBins(data.X, 32);
    const binned = binColumns(data.X, bins);
    const random = new Random(5);
    const gradHess = Float64Array.from({ length: 1400 }, (_, i) => (i % 2 ? random.next() : random.normal()));
    const rows = Int32Array.from({ length: 300 }, (_, i) => 2 * i + 1);
    let gradSum = 0;
    let hessSum = 0;
    for (const row of rows) {
      gradSum += gradHess[2 * row]!;
      hessSum += gradHess[2 * row + 1]!;
    }

    const histograms = new Histograms(sparseRows(binned, 700, bins), bins);
    const histogram = histograms.acquire();
    histograms.build(histogram, rows, 0, rows.length, gradHess, gradSum, hessSum);

    const expected = new Float64Array(2 * bins.totalBins);
    for (const row of rows) {
      for (let f = 0; f < 5; f++) {
        const slot = bins.offsets[f]! + binned[f * 700 + row]!;
        expected[2 * slot]! += gradHess[2 * row]!;
        expected[2 * slot + 1]! += gradHess[2 * row + 1]!;
      }
    }
    histogram.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 10));
  });
});

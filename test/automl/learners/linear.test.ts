import { describe, expect, it } from "vitest";
import { linearLearner } from "../../../lib/automl/learners/linear.ts";
import type { Dataset } from "../../../lib/automl/learners/types.ts";
import { generate, matrix } from "./synthetic.ts";

const regression = { kind: "regression" } as const;

describe("linear", () => {
  it("recovers a noiseless regression line exactly, whatever the target's scale", () => {
    const data = generate(500, 3, 31, (row) => 1e4 * (3 * row[0]! - 2 * row[1]! + 0.5 * row[2]! + 7));
    const model = linearLearner.fit(data, regression, { regularization: 0 }, { seed: 1 });
    const [origin, e0, e1, e2] = model.predict(matrix([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]));
    expect(origin! / 1e4).toBeCloseTo(7, 6);
    expect((e0! - origin!) / 1e4).toBeCloseTo(3, 6);
    expect((e1! - origin!) / 1e4).toBeCloseTo(-2, 6);
    expect((e2! - origin!) / 1e4).toBeCloseTo(0.5, 6);
  });

  it("sets irrelevant coefficients to exactly zero with an L1 penalty", () => {
    const data = generate(800, 6, 32, (row, random) => 2 * row[0]! - row[1]! + 0.1 * random.normal());
    const model = linearLearner.fit(data, regression, { regularization: 0.05, l1Ratio: 1 }, { seed: 1 });
    // With zero coefficients, features 2..5 cannot move a prediction at all.
    const base = matrix([[1, 1, 0, 0, 0, 0]]);
    const noisy = matrix([[1, 1, 5, -3, 7, 100]]);
    expect(Array.from(model.predict(noisy))).toEqual(Array.from(model.predict(base)));
    const [origin, alongFirst, alongSecond] = model.predict(matrix([[0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]]));
    expect(Math.abs(alongFirst! - origin!)).toBeGreaterThan(Math.abs(alongSecond! - origin!));
  });

  it("shrinks coefficients as the L2 penalty grows", () => {
    const data = generate(400, 2, 33, (row, random) => (row[0]! + 0.5 * random.normal() > 0 ? 1 : 0));
    const slope = (regularization: number): number => {
      const [atZero, atOne] = linearLearner.fit(data, { kind: "binary" }, { regularization }, { seed: 1 }).predict(matrix([[0, 0], [1, 0]]));
      return Math.log(atOne! / (1 - atOne!)) - Math.log(atZero! / (1 - atZero!));
    };
    expect(slope(1e-6)).toBeGreaterThan(slope(0.1));
    expect(slope(0.1)).toBeGreaterThan(slope(10));
    expect(slope(10)).toBeGreaterThan(0);
  });

  it("treats weighted rows as repeated rows", () => {
    const data = generate(200, 2, 34, (row, random) => (row[0]! - row[1]! + random.normal() > 0 ? 1 : 0));
    const weights = Float64Array.from({ length: 200 }, (_, r) => (r % 4 === 0 ? 3 : 1));
    const rows = Array.from({ length: 200 }, (_, r) => r).flatMap((r) => (r % 4 === 0 ? [r, r, r] : [r]));
    const repeated: Dataset = {
      X: matrix(rows.map((r) => [data.X.values[2 * r]!, data.X.values[2 * r + 1]!])),
      y: Float64Array.from(rows, (r) => data.y[r]!),
    };
    const probe = matrix([[0.3, -0.2], [-0.7, 0.1]]);
    const weighted = linearLearner.fit({ ...data, weights }, { kind: "binary" }, {}, { seed: 1 }).predict(probe);
    const duplicated = linearLearner.fit(repeated, { kind: "binary" }, {}, { seed: 1 }).predict(probe);
    weighted.forEach((p, i) => expect(p).toBeCloseTo(duplicated[i]!, 7));
  });

  it("asks for imputation when an input is missing", () => {
    const data = generate(50, 2, 35, (row) => row[0]!);
    data.X.values[2 * 9 + 1] = NaN;
    expect(() => linearLearner.fit(data, regression, {}, { seed: 1 })).toThrow(
      "linear: training data: row 9, column 1 is NaN; impute and scale first",
    );
  });
});

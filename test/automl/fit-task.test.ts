import { describe, expect, it } from "vitest";
import { encodeFeatures, type FeatureColumn } from "../../lib/automl/encoding.ts";
import type { Algorithm } from "../../lib/automl/learners/types.ts";
import { loadPredictor } from "../../lib/automl/predictor.ts";
import { RoundCache, runFit } from "../../lib/automl/search/fit-task.ts";
import { makeValidationSplit, roundRows } from "../../lib/automl/search/validation.ts";

const features: FeatureColumn[] = [
  { name: "x", kind: "numeric" },
  { name: "group", kind: "categorical" },
];

describe("a fitted candidate's serialized form", () => {
  const rows = Array.from({ length: 600 }, (_, i) => [i % 13 === 0 ? "" : String((i * 37) % 101), ["a", "b", "c"][i % 3]!]);
  const data = encodeFeatures(rows, features, [0, 1]);
  const y = Float64Array.from(rows, (row, i) => (Number(row[0] || 50) + (i % 3) * 20 > 70 ? 1 : 0));
  const split = makeValidationSplit(y, y.length, 3);

  it.each<Algorithm>(["gbdt", "linear", "mlp"])("%s: reloads from JSON to exactly the predictions of the live model", (algorithm) => {
    const result = runFit({ data, y, split, task: { kind: "binary" }, seed: 3 }, { algorithm, params: {}, seed: 9, round: 1 }, new RoundCache());
    const reloaded = loadPredictor(JSON.parse(JSON.stringify(result.predictor)));
    const test = roundRows(split, 1).test;
    const testData = encodeFeatures(Array.from(test, (row) => rows[row]!), features, [0, 1]);
    expect(reloaded.predict(testData)).toEqual(result.output);
  });
});

describe("a worker's round cache", () => {
  const rows = Array.from({ length: 600 }, (_, i) => [i % 13 === 0 ? "" : String((i * 37) % 101), ["a", "b", "c", "d"][(i * 7) % 4]!]);
  const data = encodeFeatures(rows, features, [0, 1]);
  const y = Float64Array.from(rows, (row, i) => (Number(row[0] || 50) + (i % 4) * 15 > 70 ? 1 : 0));
  const context = { data, y, split: makeValidationSplit(y, y.length, 5), task: { kind: "binary" as const }, seed: 5 };

  it("writes each round over the last one's memory, and fits as a fresh cache does", () => {
    const cache = new RoundCache();
    const fits: [Algorithm, number | null][] = [["gbdt", 0], ["linear", 1], ["mlp", 1], ["gbdt", 0], ["linear", null], ["gbdt", 2], ["gbdt", null]];
    for (const [algorithm, round] of fits) {
      const request = { algorithm, params: {}, seed: 4, round };
      const reused = runFit(context, request, cache);
      const fresh = runFit(context, request, new RoundCache());
      expect(reused.predictor).toEqual(fresh.predictor);
      expect(reused.output).toEqual(fresh.output);
    }
  });
});

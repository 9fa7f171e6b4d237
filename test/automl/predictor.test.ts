import { describe, expect, it } from "vitest";
import { encodeFeatures, type FeatureColumn } from "../../lib/automl/encoding.ts";
import { loadPredictor, type PredictorSpec } from "../../lib/automl/predictor.ts";
import { RoundCache, runFit, type FitContext } from "../../lib/automl/search/fit-task.ts";
import { makeValidationSplit } from "../../lib/automl/search/validation.ts";

const features: FeatureColumn[] = [
  { name: "amount", kind: "numeric" },
  { name: "member", kind: "boolean" },
  { name: "city", kind: "categorical" },
];

describe("an averaged predictor", () => {
  it("gives the weighted average of its members, members sharing a preprocessing or not", () => {
    const rows = Array.from({ length: 600 }, (_, i) => [String((i * 37) % 101), i % 3 ? "yes" : "no", ["a", "b", "c"][i % 3]!]);
    const data = encodeFeatures(rows, features, [0, 1, 2]);
    const y = Float64Array.from(rows, (row) => (Number(row[0]) > 50 !== (row[2] === "b") ? 1 : 0));
    const context: FitContext = { data, y, split: makeValidationSplit(y, rows.length, 1), task: { kind: "binary" }, seed: 1 };
    const cache = new RoundCache();
    const fit = (algorithm: "gbdt" | "linear" | "mlp", params = {}) => runFit(context, { algorithm, params, seed: 2, round: null }, cache).predictor;
    // The linear model and both MLPs read the same scaled features, the trees the raw ones.
    const members = [fit("linear"), fit("mlp", { epochs: 5 }), fit("gbdt", { nRounds: 10 }), fit("mlp", { epochs: 5, hiddenUnits: 8 })];
    expect(members[0]!.preprocessing).toEqual(members[1]!.preprocessing);
    const weights = [0.4, 0.3, 0.2, 0.1];
    const averaged = loadPredictor({ kind: "average", members, weights } satisfies PredictorSpec).predict(data);
    const alone = members.map((member) => loadPredictor(member).predict(data));
    const expected = alone[0]!.map((_, i) => alone.reduce((sum, output, m) => sum + weights[m]! * output[i]!, 0));
    expect(Array.from(averaged)).toStrictEqual(Array.from(expected));
  });
});

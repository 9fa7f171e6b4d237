import { describe, expect, it } from "vitest";
import { mlpLearner } from "../../../lib/automl/learners/mlp.ts";
import { accuracy, generate, splitTail } from "./synthetic.ts";

describe("mlp", () => {
  it("learns a boundary no linear model can (XOR of signs)", () => {
    const data = generate(2000, 2, 41, (row) => (row[0]! * row[1]! > 0 ? 1 : 0));
    const [train, test] = splitTail(data, 0.25);
    const model = mlpLearner.fit(train, { kind: "binary" }, { hiddenUnits: 32, epochs: 150, learningRate: 0.01 }, { seed: 1 });
    expect(accuracy(model.predict(test.X), test.y)).toBeGreaterThan(0.95);
  });

  it.each([1, 2, 3])("trains with %i hidden layers, dropout and a batch that does not divide the rows", (hiddenLayers) => {
    const data = generate(1003, 3, 42, (row) => (row[0]! - row[2]! > 0 ? 1 : 0));
    const [train, test] = splitTail(data, 0.25);
    const params = { hiddenLayers, hiddenUnits: 24, dropout: 0.2, batchSize: 37, epochs: 40, learningRate: 0.01 };
    const model = mlpLearner.fit(train, { kind: "binary" }, params, { seed: 3 });
    expect(model.toJSON()["layerSizes"]).toEqual([3, ...[24, 12, 8].slice(0, hiddenLayers), 1]);
    expect(accuracy(model.predict(test.X), test.y)).toBeGreaterThan(0.95);
  });

  it("keeps the epoch with the best validation loss", () => {
    const data = generate(1500, 4, 43, (row, random) => (row[0]! + random.normal() > 0 ? 1 : 0));
    const [train, validation] = splitTail(data, 0.3);
    const model = mlpLearner.fit(train, { kind: "binary" }, { epochs: 200, earlyStoppingRounds: 8 }, { seed: 1, validation });
    expect(model.iterations).toBeGreaterThan(0);
    expect(model.toJSON()["epochs"]).toBe(model.iterations);
    expect(model.iterations).toBeLessThan(200);
  });
});

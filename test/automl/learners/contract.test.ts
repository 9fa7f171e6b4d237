import { describe, expect, it } from "vitest";
import { learners, loadModel } from "../../../lib/automl/learners/index.ts";
import type { Algorithm, Dataset, Params, Task, TrainedModel } from "../../../lib/automl/learners/types.ts";
import { accuracy, generate, splitTail } from "./synthetic.ts";

/** Settings that keep each learner quick on these small problems. */
const quick: Record<Algorithm, Params> = {
  gbdt: { nRounds: 60, learningRate: 0.3 },
  linear: {},
  mlp: { epochs: 60, learningRate: 0.01 },
};

function fit(algorithm: Algorithm, data: Dataset, task: Task, params: Params = {}, seed = 1): TrainedModel {
  return learners[algorithm].fit(data, task, { ...quick[algorithm], ...params }, { seed });
}

/** Two classes split by a line with a margin. */
const separableBinary = generate(1200, 4, 11, (row) => (row[0]! + row[1]! > 0 ? 1 : 0));
/** Three classes: which of x0, x1, x2 is largest. */
const separableMulticlass = generate(1500, 4, 12, (row) => [row[0]!, row[1]!, row[2]!].indexOf(Math.max(row[0]!, row[1]!, row[2]!)));
const line = generate(800, 3, 13, (row) => 3 * row[0]! - 2 * row[1]! + 1);

const algorithms: Algorithm[] = ["gbdt", "linear", "mlp"];

describe.each(algorithms)("%s learner", (algorithm) => {
  it("separates two separable classes", () => {
    const [train, test] = splitTail(separableBinary, 0.25);
    const model = fit(algorithm, train, { kind: "binary" });
    expect(accuracy(model.predict(test.X), test.y)).toBeGreaterThanOrEqual(algorithm === "gbdt" ? 0.96 : 0.98);
  });

  it("separates three classes, with probabilities that sum to 1", () => {
    const [train, test] = splitTail(separableMulticlass, 0.25);
    const model = fit(algorithm, train, { kind: "multiclass", classes: 3 });
    const probabilities = model.predict(test.X);
    expect(probabilities).toHaveLength(test.X.rows * 3);
    expect(accuracy(probabilities, test.y, 3)).toBeGreaterThanOrEqual(algorithm === "gbdt" ? 0.93 : 0.97);
    for (let r = 0; r < test.X.rows; r++) {
      const row = probabilities.subarray(r * 3, r * 3 + 3);
      expect(row.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(row[0]! + row[1]! + row[2]!).toBeCloseTo(1, 12);
    }
  });

  it("fits a regression line", () => {
    const [train, test] = splitTail(line, 0.25);
    const model = fit(algorithm, train, { kind: "regression" });
    const predictions = model.predict(test.X);
    let squaredError = 0;
    let variance = 0;
    const mean = test.y.reduce((sum, value) => sum + value, 0) / test.y.length;
    test.y.forEach((value, r) => {
      squaredError += (predictions[r]! - value) ** 2;
      variance += (value - mean) ** 2;
    });
    expect(1 - squaredError / variance).toBeGreaterThan(algorithm === "gbdt" ? 0.97 : 0.995);
  });

  it("refuses rows of another width than it was trained on", () => {
    const [train, test] = splitTail(separableBinary, 0.25);
    const model = fit(algorithm, train, { kind: "binary" });
    const narrower = { rows: test.X.rows, cols: test.X.cols - 1, values: test.X.values.subarray(0, test.X.rows * (test.X.cols - 1)) };
    expect(() => model.predict(narrower)).toThrow(`${algorithm}: model has ${test.X.cols} features, input has ${test.X.cols - 1}`);
  });

  it("is deterministic for a seed", () => {
    const params: Params = algorithm === "gbdt" ? { subsample: 0.7, colsampleByTree: 0.7 } : {};
    const first = fit(algorithm, separableBinary, { kind: "binary" }, params, 5).predict(separableBinary.X);
    const again = fit(algorithm, separableBinary, { kind: "binary" }, params, 5).predict(separableBinary.X);
    expect(again).toEqual(first);
    const otherSeed = fit(algorithm, separableBinary, { kind: "binary" }, params, 6).predict(separableBinary.X);
    if (algorithm === "linear") expect(otherSeed).toEqual(first);
    else expect(otherSeed).not.toEqual(first);
  });

  it.each<[string, Task, Dataset]>([
    ["binary", { kind: "binary" }, separableBinary],
    ["multiclass", { kind: "multiclass", classes: 3 }, separableMulticlass],
    ["regression", { kind: "regression" }, line],
  ])("round-trips through JSON to identical %s predictions", (_, task, data) => {
    const model = fit(algorithm, data, task);
    const loaded = loadModel(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.algorithm).toBe(algorithm);
    expect(loaded.task).toEqual(task);
    expect(Array.from(loaded.predict(data.X))).toStrictEqual(Array.from(model.predict(data.X)));
  });

  it("stops at the deadline", () => {
    const data = generate(3000, 10, 15, (row, random) => (row[0]! + 0.5 * random.normal() > 0 ? 1 : 0));
    const params: Params = { gbdt: { nRounds: 100_000 }, linear: { maxIterations: 1_000_000 }, mlp: { epochs: 100_000 } }[algorithm];
    const started = Date.now();
    const model = learners[algorithm].fit(data, { kind: "binary" }, params, { seed: 1, deadline: started + 300 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(model.predict(data.X).every((p) => p > 0 && p < 1)).toBe(true);
  });

  it("rejects an unknown hyperparameter by name", () => {
    expect(() => fit(algorithm, separableBinary, { kind: "binary" }, { maxDepht: 3 })).toThrow(/unknown hyperparameter "maxDepht"/);
  });

  it("rejects labels outside the task's classes", () => {
    const data = { ...separableBinary, y: separableBinary.y.map((label, r) => (r === 7 ? 2 : label)) };
    expect(() => fit(algorithm, data, { kind: "binary" })).toThrow(/row 7: target 2 is not a class index in 0..1/);
  });

  it("rejects validation data of another width", () => {
    const validation = generate(50, 3, 17, (row) => (row[0]! > 0 ? 1 : 0));
    expect(() => learners[algorithm].fit(separableBinary, { kind: "binary" }, quick[algorithm], { seed: 1, validation })).toThrow(
      `${algorithm}: validation data: 3 columns, the training data has 4`,
    );
  });

  it("has defaults for every searchable hyperparameter and accepts its defaults", () => {
    const learner = learners[algorithm];
    for (const name of Object.keys(learner.searchSpace)) expect(learner.defaults).toHaveProperty(name);
    expect(() => learner.fit(separableBinary, { kind: "binary" }, { ...learner.defaults }, { seed: 1, deadline: Date.now() + 200 })).not.toThrow();
  });
});

describe("early stopping", () => {
  const noise = generate(1500, 6, 16, (_, random) => (random.next() < 0.5 ? 1 : 0));
  const [train, validation] = splitTail(noise, 0.3);

  it.each<[Algorithm, Params, number]>([
    ["gbdt", { nRounds: 500, earlyStoppingRounds: 10 }, 500],
    ["mlp", { epochs: 300, earlyStoppingRounds: 5 }, 300],
  ])("stops %s well before its cap on labels that are noise", (algorithm, params, cap) => {
    const model = learners[algorithm].fit(train, { kind: "binary" }, params, { seed: 1, validation });
    expect(model.iterations).toBeGreaterThanOrEqual(1);
    expect(model.iterations).toBeLessThan(cap / 5);
  });
});

describe("loadModel", () => {
  it("names an unknown algorithm", () => {
    expect(() => loadModel({ algorithm: "forest" as Algorithm, version: 1 })).toThrow(/unknown algorithm "forest" \(known: gbdt, linear, mlp\)/);
  });

  it("refuses a version it cannot read", () => {
    const json = { ...fit("linear", line, { kind: "regression" }).toJSON(), version: 99 };
    expect(() => loadModel(json)).toThrow(/linear model: version 99 is not supported/);
  });

  it("names a missing field", () => {
    const { coefficients: _, ...json } = fit("linear", line, { kind: "regression" }).toJSON();
    expect(() => loadModel(json as never)).toThrow(/field "coefficients"/);
  });
});

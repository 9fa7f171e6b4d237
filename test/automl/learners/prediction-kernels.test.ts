import { describe, expect, it } from "vitest";
import { fromBase64, type TypedArrayType } from "../../../lib/automl/learners/gbdt/base64-arrays.ts";
import { gbdtLearner } from "../../../lib/automl/learners/gbdt/index.ts";
import { ForestScorer, type Forest } from "../../../lib/automl/learners/gbdt/forest.ts";
import { addTreeOutputs } from "../../../lib/automl/learners/gbdt/tree.ts";
import { NetworkPass, NetworkScorer, NetworkShape } from "../../../lib/automl/learners/mlp-network.ts";
import { Random } from "../../../lib/automl/learners/random.ts";
import type { Matrix } from "../../../lib/automl/learners/types.ts";
import { churnLike } from "./synthetic.ts";

/** Each tree walked on its own, row by row: what the forest scorer must reproduce bit for bit. */
function walkTreeByTree(forest: Forest, X: Matrix, outputs: number): Float64Array {
  const scores = new Float64Array(X.rows * outputs);
  forest.roots.forEach((root, t) => addTreeOutputs(forest, root, X.values, X.cols, scores, outputs, t % outputs));
  return scores;
}

describe("forest scorer", () => {
  it.each([
    ["binary, depth-wise", { kind: "binary" } as const, { nRounds: 40, maxDepth: 6 }],
    ["three classes, loss-guided trees of uneven depth", { kind: "multiclass", classes: 3 } as const, { nRounds: 15, growPolicy: "lossguide", maxLeaves: 12, maxDepth: 10 }],
  ])("adds the same scores as walking each tree row by row (%s), missing values included", (_, task, params) => {
    // 300 rows: more than one chunk copied into the scorer, the last one partial and not a whole block of eight.
    const data = churnLike(600, 7, 0.2);
    const y = task.kind === "binary" ? data.y : data.y.map((label, r) => (label + (r % 2)) % 3);
    const model = gbdtLearner.fit({ X: data.X, y }, task, params, { seed: 2 });
    const json = model.toJSON();
    const decode = <T,>(field: string, type: TypedArrayType<T>): T => fromBase64(json[field] as string, type)!;
    const forest: Forest = {
      roots: decode("treeRoots", Int32Array),
      feature: decode("nodeFeature", Int32Array),
      threshold: decode("nodeThreshold", Float64Array),
      defaultLeft: decode("nodeDefaultLeft", Uint8Array),
      leftChild: decode("nodeLeftChild", Int32Array),
      value: decode("nodeValue", Float64Array),
    };
    const missingGoes = new Set(forest.defaultLeft.filter((_, node) => forest.feature[node]! >= 0));
    expect(missingGoes).toEqual(new Set([0, 1]));
    const X = { rows: 300, cols: data.X.cols, values: data.X.values.subarray(0, 300 * data.X.cols) };
    const outputs = task.kind === "multiclass" ? 3 : 1;
    const scores = new Float64Array(X.rows * outputs);
    new ForestScorer(forest, X.cols, outputs).addOutputs(X.values, X.cols, scores);
    expect(Array.from(scores)).toStrictEqual(Array.from(walkTreeByTree(forest, X, outputs)));
  });
});

describe("network scores", () => {
  it.each([[[12, 16, 1]], [[12, 20, 10, 8, 3]]])("equal the training forward pass's for layers %j, on inputs with many zeros", (sizes) => {
    const shape = new NetworkShape(sizes);
    const random = new Random(3);
    const parameters = shape.initialParameters(random);
    const rows = 301; // more than one chunk copied into the scorer
    const values = Float32Array.from({ length: rows * sizes[0]! }, (_, i) => (i % 3 === 0 ? 0 : i % 5 === 0 ? 1 : random.normal()));
    const X = { rows, cols: sizes[0]!, values };
    const pass = new NetworkPass(shape, rows);
    pass.loadRows(X, Int32Array.from({ length: rows }, (_, i) => i), 0, rows);
    const outputs = sizes.at(-1)!;
    const forward = pass.forward(parameters, rows).subarray(0, rows * outputs);
    expect(Array.from(new NetworkScorer(shape).load(parameters).scores(X))).toStrictEqual(Array.from(forward));
  });
});

describe("forest scorer at the threshold", () => {
  // One split with leaves -1 (left) and +1 (right): thresholds that are and are not float32s,
  // infinite ones (a split of missing from present values), inputs on them and one float32
  // step either side, and the extremes, with missing values sent either way.
  const MAX_FLOAT32 = 3.4028234663852886e38;
  const thresholds = [0, -0, 1, -1, 0.1, -0.1, 1e-45, -1e-45, 2.5, MAX_FLOAT32, -MAX_FLOAT32, 3.4e38, -3.4e38, 1e39, -1e39, Infinity, -Infinity];
  const extremes = [Number.NaN, Infinity, -Infinity, MAX_FLOAT32, -MAX_FLOAT32, 0, -0];
  const step = (x: number, direction: number): number => Math.fround(x + direction * (Math.abs(x) * 2 ** -24 + 1e-45));
  it.each([0, 1])("sends each row where the tree walk does (missing values default left: %i)", (defaultLeft) => {
    for (const threshold of thresholds) {
      const forest: Forest = {
        roots: Int32Array.of(0),
        feature: Int32Array.of(0, -1, -1),
        threshold: Float64Array.of(threshold, 0, 0),
        defaultLeft: Uint8Array.of(defaultLeft, 0, 0),
        leftChild: Int32Array.of(1, 0, 0),
        value: Float64Array.of(0, -1, 1),
      };
      const near = Number.isFinite(threshold) ? [threshold, Math.fround(threshold)].flatMap((t) => [step(t, -1), Math.fround(t), step(t, 1)]) : [];
      const X = { rows: near.length + extremes.length, cols: 1, values: Float32Array.from([...near, ...extremes]) };
      const scores = new Float64Array(X.rows);
      new ForestScorer(forest, 1, 1).addOutputs(X.values, X.cols, scores);
      expect({ threshold, scores: Array.from(scores) }).toStrictEqual({ threshold, scores: Array.from(walkTreeByTree(forest, X, 1)) });
    }
  });
});

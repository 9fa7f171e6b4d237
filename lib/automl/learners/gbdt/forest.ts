import { addTreeOutputs, type TreeArrays } from "./tree.ts";

/** Trees concatenated into one set of node arrays; tree t starts at node roots[t]. */
export interface Forest extends TreeArrays {
  roots: Int32Array;
}

export function concatenateTrees(trees: readonly TreeArrays[]): Forest {
  const nodeCount = trees.reduce((sum, tree) => sum + tree.feature.length, 0);
  const forest: Forest = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(nodeCount),
    threshold: new Float64Array(nodeCount),
    defaultLeft: new Uint8Array(nodeCount),
    leftChild: new Int32Array(nodeCount),
    value: new Float64Array(nodeCount),
  };
  let offset = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = offset;
    forest.feature.set(tree.feature, offset);
    forest.threshold.set(tree.threshold, offset);
    forest.defaultLeft.set(tree.defaultLeft, offset);
    forest.value.set(tree.value, offset);
    for (let i = 0; i < tree.leftChild.length; i++) forest.leftChild[offset + i] = tree.leftChild[i]! + offset;
    offset += tree.feature.length;
  });
  return forest;
}

/**
 * Adds each tree's output to the raw scores (rows × outputs, row-major); tree t feeds output
 * t % outputs, as boosting grows one tree per output per round.
 */
export function addForestOutputs(
  forest: Forest,
  values: Float32Array,
  cols: number,
  scores: Float64Array,
  outputs: number,
): void {
  for (let t = 0; t < forest.roots.length; t++) {
    addTreeOutputs(forest, forest.roots[t]!, values, cols, scores, outputs, t % outputs);
  }
}

/**
 * Why a deserialized forest cannot be walked safely, or undefined when it can: every split's
 * feature must exist and its children must come after it, inside the arrays (so no cycles).
 */
export function forestDefect(forest: Forest, featureCount: number): string | undefined {
  const nodeCount = forest.feature.length;
  for (const array of [forest.threshold, forest.defaultLeft, forest.leftChild, forest.value]) {
    if (array.length !== nodeCount) return `node arrays of different lengths`;
  }
  if (forest.roots.some((root) => root < 0 || root >= nodeCount)) return "a tree root outside the nodes";
  for (let node = 0; node < nodeCount; node++) {
    const f = forest.feature[node]!;
    if (f < 0) continue;
    const left = forest.leftChild[node]!;
    if (f >= featureCount) return `node ${node} splits on feature ${f} of ${featureCount}`;
    if (left <= node || left + 1 >= nodeCount) return `node ${node} has children outside the tree`;
  }
  return undefined;
}

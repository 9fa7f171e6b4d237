import type { TreeArrays } from "./tree.ts";

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
 * A forest laid out for scoring many rows: every leaf steps to itself (its threshold is +∞ and
 * missing values go left), so a row reaches its leaf in exactly the tree's depth of steps,
 * whatever its path. Rows then step through a tree together, with no branch on where each one
 * is, and the steps of different rows overlap.
 */
export class ForestScorer {
  private readonly depth: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly missingRight: Uint8Array;
  private readonly leftChild: Int32Array;

  constructor(private readonly forest: Forest) {
    const nodeCount = forest.feature.length;
    this.feature = new Int32Array(nodeCount);
    this.threshold = new Float64Array(nodeCount);
    this.missingRight = new Uint8Array(nodeCount);
    this.leftChild = new Int32Array(nodeCount);
    for (let node = 0; node < nodeCount; node++) {
      if (forest.feature[node]! < 0) {
        this.threshold[node] = Infinity;
        this.leftChild[node] = node;
      } else {
        this.feature[node] = forest.feature[node]!;
        this.threshold[node] = forest.threshold[node]!;
        this.missingRight[node] = 1 - forest.defaultLeft[node]!;
        this.leftChild[node] = forest.leftChild[node]!;
      }
    }
    this.depth = forest.roots.map((root) => treeDepth(forest, root));
  }

  /**
   * Adds each tree's output to the raw scores (rows × outputs, row-major); tree t feeds output
   * t % outputs, as boosting grows one tree per output per round. Each row's score adds the
   * trees in order, as walking them one by one would.
   */
  addOutputs(values: Float32Array, cols: number, scores: Float64Array, outputs: number): void {
    const { depth, feature, threshold, missingRight, leftChild } = this;
    const { roots, value } = this.forest;
    const rows = values.length / cols;
    const nodes = new Int32Array(ROW_BLOCK);
    for (let start = 0; start < rows; start += ROW_BLOCK) {
      const count = Math.min(ROW_BLOCK, rows - start);
      for (let t = 0; t < roots.length; t++) {
        nodes.fill(roots[t]!);
        for (let step = depth[t]!; step > 0; step--) {
          for (let i = 0; i < count; i++) {
            const node = nodes[i]!;
            const x = values[(start + i) * cols + feature[node]!]!;
            nodes[i] = leftChild[node]! + (+(x > threshold[node]!) | (+(x !== x) & missingRight[node]!));
          }
        }
        const output = t % outputs;
        for (let i = 0; i < count; i++) scores[(start + i) * outputs + output]! += value[nodes[i]!]!;
      }
    }
  }
}

/** The most splits on a path from the root to a leaf. */
function treeDepth(tree: TreeArrays, root: number): number {
  let deepest = 0;
  const pending = [root, 0];
  while (pending.length > 0) {
    const depth = pending.pop()!;
    const node = pending.pop()!;
    if (tree.feature[node]! < 0) {
      deepest = Math.max(deepest, depth);
    } else {
      const left = tree.leftChild[node]!;
      pending.push(left, depth + 1, left + 1, depth + 1);
    }
  }
  return deepest;
}

/** Rows that step through a tree together: their values stay in cache across the forest. */
const ROW_BLOCK = 64;

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

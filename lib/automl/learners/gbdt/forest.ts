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
 * A forest laid out for scoring many rows, eight at a time, each row's place in the tree kept in
 * a register. Node n tests `row[test[n]] > cut[n]` and steps to next[2n] when that is false,
 * next[2n + 1] when true. A leaf's test is never true and both its steps lead back to it, so
 * every row reaches its leaf in exactly the tree's depth of steps, whatever its path, with no
 * branch on where it is.
 *
 * Rows are read as order keys, integers that compare as the float32 inputs do (see `orderKey`),
 * a missing value lowest of all: it fails every test, so it takes the false side. A node that
 * sends missing values right is stored mirrored: it tests the negated key, in a negated copy of
 * the row stored after it (missing values still lowest), against the negated cut, with its
 * children swapped. The scores come out bit for bit as walking each tree row by row gives them.
 */
export class ForestScorer {
  private readonly depth: Int32Array;
  private readonly test: Int32Array;
  private readonly cut: Int32Array;
  private readonly next: Int32Array;
  /** Keys per loaded row: the inputs', then their negations when some node is mirrored. */
  private readonly width: number;

  constructor(
    private readonly forest: Forest,
    private readonly featureCount: number,
  ) {
    const nodeCount = forest.feature.length;
    this.test = new Int32Array(nodeCount);
    this.cut = new Int32Array(nodeCount);
    this.next = new Int32Array(2 * nodeCount);
    let mirrored = false;
    for (let node = 0; node < nodeCount; node++) {
      const feature = forest.feature[node]!;
      const left = forest.leftChild[node]!;
      if (feature < 0) {
        this.cut[node] = NEVER;
        this.next[2 * node] = this.next[2 * node + 1] = node;
        continue;
      }
      // For a float32 x: x > t exactly when x > a, a the largest float32 at most t; so when
      // key(x) > key(a), and x ≤ t when -key(x) > -key(a) - 1.
      const cut = orderKey(float32BitsOf(float32AtMost(forest.threshold[node]!)));
      if (forest.defaultLeft[node]) {
        this.test[node] = feature;
        this.cut[node] = cut;
        this.next[2 * node] = left;
        this.next[2 * node + 1] = left + 1;
      } else {
        mirrored = true;
        this.test[node] = featureCount + feature;
        this.cut[node] = -cut - 1;
        this.next[2 * node] = left + 1;
        this.next[2 * node + 1] = left;
      }
    }
    this.width = mirrored ? 2 * featureCount : featureCount;
    this.depth = forest.roots.map((root) => treeDepth(forest, root));
  }

  /**
   * Adds each tree's output to the raw scores (rows × outputs, row-major); tree t feeds output
   * t % outputs, as boosting grows one tree per output per round. Each row's score adds the
   * trees in order, as walking them one by one would.
   */
  addOutputs(values: Float32Array, cols: number, scores: Float64Array, outputs: number): void {
    if (cols !== this.featureCount) throw new Error(`gbdt: model has ${this.featureCount} features, input has ${cols}`);
    const { depth, test, cut, next, width } = this;
    const { roots, value } = this.forest;
    const rows = values.length / cols;
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
    const block = new Int32Array(LANES * width);
    const leaves = new Int32Array(LANES);
    const [w1, w2, w3, w4, w5, w6, w7] = [1, 2, 3, 4, 5, 6, 7].map((lane) => lane * width) as [number, number, number, number, number, number, number];
    for (let start = 0; start < rows; start += LANES) {
      const count = Math.min(LANES, rows - start);
      this.loadBlock(bits, start, count, block);
      for (let t = 0; t < roots.length; t++) {
        let s0 = roots[t]!;
        let s1 = s0;
        let s2 = s0;
        let s3 = s0;
        let s4 = s0;
        let s5 = s0;
        let s6 = s0;
        let s7 = s0;
        for (let step = depth[t]!; step > 0; step--) {
          s0 = next[2 * s0 + +(block[test[s0]!]! > cut[s0]!)]!;
          s1 = next[2 * s1 + +(block[w1 + test[s1]!]! > cut[s1]!)]!;
          s2 = next[2 * s2 + +(block[w2 + test[s2]!]! > cut[s2]!)]!;
          s3 = next[2 * s3 + +(block[w3 + test[s3]!]! > cut[s3]!)]!;
          s4 = next[2 * s4 + +(block[w4 + test[s4]!]! > cut[s4]!)]!;
          s5 = next[2 * s5 + +(block[w5 + test[s5]!]! > cut[s5]!)]!;
          s6 = next[2 * s6 + +(block[w6 + test[s6]!]! > cut[s6]!)]!;
          s7 = next[2 * s7 + +(block[w7 + test[s7]!]! > cut[s7]!)]!;
        }
        leaves[0] = s0;
        leaves[1] = s1;
        leaves[2] = s2;
        leaves[3] = s3;
        leaves[4] = s4;
        leaves[5] = s5;
        leaves[6] = s6;
        leaves[7] = s7;
        const output = t % outputs;
        for (let lane = 0; lane < count; lane++) scores[(start + lane) * outputs + output]! += value[leaves[lane]!]!;
      }
    }
  }

  /** Loads the order keys of `count` rows from `start` (given as float32 bits), with their negations when needed; lanes past them read zeros. */
  private loadBlock(values: Int32Array, start: number, count: number, block: Int32Array): void {
    const { featureCount, width } = this;
    for (let lane = 0; lane < count; lane++) {
      const from = (start + lane) * featureCount;
      const to = lane * width;
      for (let i = 0; i < featureCount; i++) {
        const key = orderKey(values[from + i]!);
        block[to + i] = key;
        if (width > featureCount) block[to + featureCount + i] = key === MISSING ? MISSING : -key;
      }
    }
    block.fill(0, count * width);
  }
}

/** Rows stepping through a tree together, one register each. */
const LANES = 8;
/** The key of a missing value: below every other, and its own negation's. */
const MISSING = -(2 ** 31);
/** A cut no key passes. */
const NEVER = 2 ** 31 - 1;

const float32 = new Float32Array(1);
const float32Bits = new Int32Array(float32.buffer);

/**
 * The float32 with these bits (±∞ included) as an integer that orders as the numbers do, -0
 * equal to +0: the bits themselves for x ≥ 0, the magnitude's bits negated less one below zero.
 * NaN gets `MISSING`. Every key and its negation fit in 32 bits.
 */
function orderKey(bits: number): number {
  const magnitude = bits & 0x7fffffff;
  if (magnitude > INFINITY_BITS) return MISSING;
  return bits >= 0 || magnitude === 0 ? magnitude : -1 - magnitude;
}

const INFINITY_BITS = 0x7f800000;

/** The bits of the float32 nearest x. */
function float32BitsOf(x: number): number {
  float32[0] = x;
  return float32Bits[0]!;
}

/** The largest float32 at most t (t not NaN; -∞ for t below every finite float32). */
function float32AtMost(t: number): number {
  float32[0] = t;
  const rounded = float32[0]!;
  if (rounded <= t) return rounded;
  // Rounded up: one float32 step down, towards zero for positives, away from it for negatives.
  if (rounded > 0) float32Bits[0]! -= 1;
  else if (rounded < 0) float32Bits[0]! += 1;
  else float32Bits[0] = 0x80000001 | 0; // below 0 lies -2^-149
  return float32[0]!;
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

/**
 * Why a deserialized forest cannot be walked safely, or undefined when it can: every split's
 * feature must exist, its threshold be a number and its children come after it, inside the
 * arrays (so no cycles).
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
    if (Number.isNaN(forest.threshold[node])) return `node ${node} splits at NaN`;
    if (left <= node || left + 1 >= nodeCount) return `node ${node} has children outside the tree`;
  }
  return undefined;
}

import { MemoryPlan } from "../wasm/memory-plan.ts";
import { forestKernels, LANES, NODE_BYTES, NODE_FIELDS, type ForestKernels } from "../wasm/forest-kernels.ts";
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
 * A forest laid out for scoring many rows in WebAssembly, eight at a time, each row's place in
 * the tree kept in a local (see `forestKernels`). Node n tests `row key > cut` and steps to one
 * of its two next nodes by the outcome. A leaf's test is never passed and both its steps lead
 * back to it, so every row reaches its leaf in exactly the tree's depth of steps, whatever its
 * path, with no branch on where it is.
 *
 * Rows are read as order keys, integers that compare as the float32 inputs do (see `orderKey`),
 * a missing value lowest of all: it fails every test, so it takes the false side. A node that
 * sends missing values right is stored mirrored: it tests the negated key, in a negated copy of
 * the row stored after it (missing values still lowest), against the negated cut, with its
 * children swapped. The scores come out bit for bit as walking each tree row by row gives them.
 */
export class ForestScorer {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: ForestKernels;
  /** Keys per loaded row: the inputs', then their negations when some node is mirrored. */
  private readonly width: number;
  private readonly treeCount: number;
  private readonly roots: number;
  private readonly depths: number;
  private readonly keys: number;
  private readonly scores: number;

  constructor(
    forest: Forest,
    private readonly featureCount: number,
    private readonly outputs: number,
  ) {
    const nodeCount = forest.feature.length;
    const mirrored = forest.feature.some((feature, node) => feature >= 0 && !forest.defaultLeft[node]);
    this.width = mirrored ? 2 * featureCount : featureCount;
    this.treeCount = forest.roots.length;
    const plan = new MemoryPlan();
    const nodes = plan.reserve(nodeCount * NODE_BYTES);
    this.roots = plan.reserve(4 * this.treeCount);
    this.depths = plan.reserve(4 * this.treeCount);
    this.keys = plan.reserve(4 * SCORING_CHUNK * this.width);
    this.scores = plan.reserve(8 * SCORING_CHUNK * outputs);
    this.memory = plan.create();
    this.kernels = forestKernels(this.memory);

    const ints = new Int32Array(this.memory.buffer);
    const doubles = new Float64Array(this.memory.buffer);
    const address = (node: number): number => nodes + node * NODE_BYTES;
    for (let node = 0; node < nodeCount; node++) {
      const at = address(node);
      const [test, cut, onFalse, onTrue] = nodeFields(forest, node, featureCount);
      ints[(at + NODE_FIELDS.test) / 4] = 4 * test;
      ints[(at + NODE_FIELDS.cut) / 4] = cut;
      ints[(at + NODE_FIELDS.next) / 4] = address(onFalse);
      ints[(at + NODE_FIELDS.next) / 4 + 1] = address(onTrue);
      doubles[(at + NODE_FIELDS.value) / 8] = forest.value[node]!;
    }
    forest.roots.forEach((root, t) => {
      ints[this.roots / 4 + t] = address(root);
      ints[this.depths / 4 + t] = treeDepth(forest, root);
    });
  }

  /**
   * Adds each tree's output to the raw scores (rows × outputs, row-major); tree t feeds output
   * t % outputs, as boosting grows one tree per output per round. Each row's score adds the
   * trees in order, as walking them one by one would.
   */
  addOutputs(values: Float32Array, cols: number, scores: Float64Array): void {
    if (cols !== this.featureCount) throw new Error(`gbdt: model has ${this.featureCount} features, input has ${cols}`);
    const { outputs } = this;
    const rows = values.length / cols;
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
    const memoryScores = new Float64Array(this.memory.buffer, this.scores, SCORING_CHUNK * outputs);
    for (let start = 0; start < rows; start += SCORING_CHUNK) {
      const count = Math.min(SCORING_CHUNK, rows - start);
      const padded = Math.ceil(count / LANES) * LANES;
      this.loadKeys(bits, start, count, padded);
      memoryScores.set(scores.subarray(start * outputs, (start + count) * outputs));
      this.kernels.scoreRows(this.keys, 4 * this.width, padded, this.treeCount, this.roots, this.depths, outputs, this.scores);
      scores.set(memoryScores.subarray(0, count * outputs), start * outputs);
    }
  }

  /** Loads the order keys of `count` rows from `start` (given as float32 bits), with their negations when needed; rows past them up to `padded` read zeros. */
  private loadKeys(values: Int32Array, start: number, count: number, padded: number): void {
    const { featureCount, width } = this;
    const keys = new Int32Array(this.memory.buffer, this.keys, padded * width);
    for (let row = 0; row < count; row++) {
      const from = (start + row) * featureCount;
      const to = row * width;
      for (let i = 0; i < featureCount; i++) {
        const key = orderKey(values[from + i]!);
        keys[to + i] = key;
        if (width > featureCount) keys[to + featureCount + i] = key === MISSING ? MISSING : -key;
      }
    }
    keys.fill(0, count * width);
  }
}

/** Rows scored per call into WebAssembly (a multiple of LANES). */
const SCORING_CHUNK = 256;

/**
 * What node `node` tests and where it leads, as [key index in a loaded row, cut, next node when
 * the test fails, next node when it passes].
 */
function nodeFields(forest: Forest, node: number, featureCount: number): [number, number, number, number] {
  const feature = forest.feature[node]!;
  if (feature < 0) return [0, NEVER, node, node];
  const left = forest.leftChild[node]!;
  // For a float32 x: x > t exactly when x > a, a the largest float32 at most t; so when
  // key(x) > key(a), and x ≤ t when -key(x) > -key(a) - 1.
  const cut = orderKey(float32BitsAtMost(forest.threshold[node]!));
  return forest.defaultLeft[node] ? [feature, cut, left, left + 1] : [featureCount + feature, -cut - 1, left + 1, left];
}

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

/** The bits of the largest float32 at most t (t not NaN; -∞ for t below every finite float32). */
function float32BitsAtMost(t: number): number {
  float32[0] = t;
  const rounded = float32[0]!;
  if (rounded > t) {
    // Rounded up: one float32 step down, towards zero for positives, away from it for negatives.
    if (rounded > 0) float32Bits[0]! -= 1;
    else if (rounded < 0) float32Bits[0]! += 1;
    else float32Bits[0] = 0x80000001 | 0; // below 0 lies -2^-149
  }
  return float32Bits[0]!;
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

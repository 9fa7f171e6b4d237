import type { BinnedMatrix, FeatureBins } from "./binning.ts";
import { Histograms, subtractHistogram } from "./histogram.ts";
import { findBestSplit, leafWeight, type Split, type SplitCriteria } from "./split-finder.ts";
import type { TreeArrays } from "./tree.ts";

export interface GrowthSettings extends SplitCriteria {
  maxDepth: number;
  /** 0 for no limit. */
  maxLeaves: number;
  learningRate: number;
  /** Split the shallowest leaves first (XGBoost's default) or the one with the largest gain (LightGBM's). */
  growPolicy: "depthwise" | "lossguide";
}

/** A tree as grown: `nodeCount` nodes, and each split's gain. */
export interface GrownTree extends TreeArrays {
  nodeCount: number;
  gain: Float64Array;
}

/**
 * Grows regression trees on binned training rows from gradients and hessians. Every buffer
 * (node rows, node statistics, histograms, the tree) is allocated once and reused per tree.
 * Rows left out of a tree's sample come with zero gradient and hessian: they change no sum, and
 * still reach a leaf, so every row's output is known without walking the tree.
 */
export class TreeBuilder {
  /** Column-major bins of the training rows. */
  private readonly columns: Uint8Array;
  private readonly bins: FeatureBins;
  private readonly histograms: Histograms;
  /** Each node's rows, contiguous and ascending: a split partitions its parent's range in place. */
  private readonly rows: Int32Array;
  private readonly scratch: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly nodeRowCount: Int32Array;
  private readonly nodeDepth: Int32Array;
  private readonly nodeGrad: Float64Array;
  private readonly nodeHess: Float64Array;
  private readonly nodeSplit: (Split | undefined)[];
  private readonly nodeHistogram: (Float64Array | undefined)[];
  private readonly tree: GrownTree;

  constructor(
    binned: BinnedMatrix,
    private readonly rowCount: number,
    private readonly settings: GrowthSettings,
  ) {
    this.columns = binned.columns;
    this.bins = binned.bins;
    this.histograms = new Histograms(binned.sparseRows, binned.bins);
    this.rows = new Int32Array(rowCount);
    this.scratch = new Int32Array(rowCount);
    const maxLeaves = Math.min(settings.maxLeaves || Infinity, 2 ** settings.maxDepth, rowCount);
    const maxNodes = 2 * maxLeaves - 1;
    this.nodeStart = new Int32Array(maxNodes);
    this.nodeRowCount = new Int32Array(maxNodes);
    this.nodeDepth = new Int32Array(maxNodes);
    this.nodeGrad = new Float64Array(maxNodes);
    this.nodeHess = new Float64Array(maxNodes);
    this.nodeSplit = new Array<Split | undefined>(maxNodes);
    this.nodeHistogram = new Array<Float64Array | undefined>(maxNodes);
    this.tree = {
      nodeCount: 0,
      feature: new Int32Array(maxNodes),
      threshold: new Float64Array(maxNodes),
      defaultLeft: new Uint8Array(maxNodes),
      leftChild: new Int32Array(maxNodes),
      value: new Float64Array(maxNodes),
      gain: new Float64Array(maxNodes),
    };
  }

  /**
   * Grows one tree on the given features from gradients and hessians interleaved per row in
   * `gradHess`. The result is overwritten by the next call.
   */
  grow(gradHess: Float64Array, features: Int32Array): GrownTree {
    const { settings, rowCount } = this;
    for (let row = 0; row < rowCount; row++) this.rows[row] = row;
    this.tree.nodeCount = 0;
    let gradSum = 0;
    let hessSum = 0;
    for (let row = 0; row < rowCount; row++) {
      gradSum += gradHess[2 * row]!;
      hessSum += gradHess[2 * row + 1]!;
    }
    const root = this.addLeaf(0, rowCount, 0, gradSum, hessSum);

    const expandable: number[] = [];
    if (this.mayHaveChildren(root)) {
      const histogram = this.histograms.acquire();
      this.histograms.build(histogram, this.rows, 0, rowCount, gradHess, gradSum, hessSum);
      this.considerSplitting(root, histogram, features, expandable);
    }
    let leaves = 1;
    while (expandable.length > 0 && (settings.maxLeaves === 0 || leaves < settings.maxLeaves)) {
      const node = this.takeNextToSplit(expandable);
      const [left, right] = this.split(node);
      leaves++;
      const parentHistogram = this.nodeHistogram[node]!;
      this.nodeHistogram[node] = undefined;
      if (this.mayHaveChildren(left) || this.mayHaveChildren(right)) {
        const leftIsSmaller = this.nodeRowCount[left]! <= this.nodeRowCount[right]!;
        const [small, large] = leftIsSmaller ? [left, right] : [right, left];
        const smallHistogram = this.histograms.acquire();
        const start = this.nodeStart[small]!;
        const end = start + this.nodeRowCount[small]!;
        const [smallGrad, smallHess] = [this.nodeGrad[small]!, this.nodeHess[small]!];
        this.histograms.build(smallHistogram, this.rows, start, end, gradHess, smallGrad, smallHess);
        subtractHistogram(parentHistogram, smallHistogram);
        this.considerSplitting(small, smallHistogram, features, expandable);
        this.considerSplitting(large, parentHistogram, features, expandable);
      } else {
        this.histograms.release(parentHistogram);
      }
    }
    for (const node of expandable) {
      this.histograms.release(this.nodeHistogram[node]!);
      this.nodeHistogram[node] = undefined;
    }
    return this.tree;
  }

  /** Adds the last grown tree's output for every training row to scores[row * stride + offset]. */
  addOutputs(scores: Float64Array, stride: number, offset: number): void {
    const { rows, tree } = this;
    for (let node = 0; node < tree.nodeCount; node++) {
      if (tree.feature[node]! >= 0) continue;
      const value = tree.value[node]!;
      const end = this.nodeStart[node]! + this.nodeRowCount[node]!;
      for (let i = this.nodeStart[node]!; i < end; i++) scores[rows[i]! * stride + offset]! += value;
    }
  }

  private addLeaf(start: number, rowCount: number, depth: number, gradSum: number, hessSum: number): number {
    const node = this.tree.nodeCount++;
    this.nodeStart[node] = start;
    this.nodeRowCount[node] = rowCount;
    this.nodeDepth[node] = depth;
    this.nodeGrad[node] = gradSum;
    this.nodeHess[node] = hessSum;
    this.tree.feature[node] = -1;
    this.tree.value[node] = this.settings.learningRate * leafWeight(gradSum, hessSum, this.settings);
    return node;
  }

  private mayHaveChildren(node: number): boolean {
    return (
      this.nodeDepth[node]! < this.settings.maxDepth &&
      this.nodeRowCount[node]! >= 2 &&
      this.nodeHess[node]! >= 2 * this.settings.minChildWeight
    );
  }

  /** Queues the node for splitting if a split pays, keeping its histogram; frees the histogram otherwise. */
  private considerSplitting(node: number, histogram: Float64Array, features: Int32Array, expandable: number[]): void {
    const split = this.mayHaveChildren(node)
      ? findBestSplit(histogram, features, this.bins, this.nodeGrad[node]!, this.nodeHess[node]!, this.settings)
      : undefined;
    if (split) {
      this.nodeSplit[node] = split;
      this.nodeHistogram[node] = histogram;
      expandable.push(node);
    } else {
      this.histograms.release(histogram);
    }
  }

  private takeNextToSplit(expandable: number[]): number {
    let chosen = 0;
    if (this.settings.growPolicy === "lossguide") {
      for (let i = 1; i < expandable.length; i++) {
        if (this.nodeSplit[expandable[i]!]!.gain > this.nodeSplit[expandable[chosen]!]!.gain) chosen = i;
      }
    }
    return expandable.splice(chosen, 1)[0]!;
  }

  /** Turns a leaf into a split: partitions its rows (stable) and adds its two children. */
  private split(node: number): [number, number] {
    const split = this.nodeSplit[node]!;
    const { rows, scratch, tree } = this;
    const f = split.feature;
    const column = this.columns.subarray(f * this.rowCount, (f + 1) * this.rowCount);
    const missingBin = this.bins.realBins[f]!;
    const start = this.nodeStart[node]!;
    const end = start + this.nodeRowCount[node]!;
    let leftEnd = start;
    let rightCount = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      const bin = column[row]!;
      const goLeft = bin === missingBin ? split.missingLeft : bin <= split.bin;
      if (goLeft) rows[leftEnd++] = row;
      else scratch[rightCount++] = row;
    }
    rows.set(scratch.subarray(0, rightCount), leftEnd);

    tree.feature[node] = f;
    // The last real bin's split sends every present value left: an unbounded threshold.
    tree.threshold[node] = split.bin === missingBin - 1 ? Infinity : this.bins.upperEdges[f]![split.bin]!;
    tree.defaultLeft[node] = split.missingLeft ? 1 : 0;
    tree.gain[node] = split.gain;
    const depth = this.nodeDepth[node]! + 1;
    const left = this.addLeaf(start, leftEnd - start, depth, split.leftGrad, split.leftHess);
    const right = this.addLeaf(
      leftEnd,
      rightCount,
      depth,
      this.nodeGrad[node]! - split.leftGrad,
      this.nodeHess[node]! - split.leftHess,
    );
    tree.leftChild[node] = left;
    this.nodeSplit[node] = undefined;
    return [left, right];
  }
}

/**
 * Decision trees as flat arrays. Node i is a leaf when feature[i] < 0; otherwise a row goes to
 * leftChild[i] when its value is at most threshold[i] (or, when missing, if defaultLeft[i] is 1),
 * else to leftChild[i] + 1.
 */
export interface TreeArrays {
  feature: Int32Array;
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  leftChild: Int32Array;
  /** A leaf's output, learning rate applied. */
  value: Float64Array;
}

/** The output of the tree rooted at `root` for the row starting at `rowOffset` in `values`. */
export function treeOutput(tree: TreeArrays, root: number, values: Float32Array, rowOffset: number): number {
  const { feature, threshold, defaultLeft, leftChild, value } = tree;
  let node = root;
  for (;;) {
    const f = feature[node]!;
    if (f < 0) return value[node]!;
    const x = values[rowOffset + f]!;
    const goLeft = x === x ? x <= threshold[node]! : defaultLeft[node] === 1;
    node = goLeft ? leftChild[node]! : leftChild[node]! + 1;
  }
}

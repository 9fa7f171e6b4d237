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

/**
 * Adds the output of the tree rooted at `root` for each row of `values` (rows × cols, row-major)
 * to scores[row * stride + offset].
 */
export function addTreeOutputs(
  tree: TreeArrays,
  root: number,
  values: Float32Array,
  cols: number,
  scores: Float64Array,
  stride: number,
  offset: number,
): void {
  const { feature, threshold, defaultLeft, leftChild, value } = tree;
  const rows = values.length / cols;
  for (let row = 0; row < rows; row++) {
    const rowOffset = row * cols;
    let node = root;
    let f = feature[node]!;
    while (f >= 0) {
      const x = values[rowOffset + f]!;
      // Right when above the threshold, or missing with a right default; branch-free.
      node = leftChild[node]! + (+(x > threshold[node]!) | (+(x !== x) & (1 - defaultLeft[node]!)));
      f = feature[node]!;
    }
    scores[row * stride + offset]! += value[node]!;
  }
}

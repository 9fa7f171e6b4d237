import { add, atLeast, encodeModule, i32, increment, local, op, times, whileNot, type Code } from "./binary.ts";

/**
 * A forest's node record, NODE_BYTES long at its address: the byte offset of the key it tests
 * within a row (i32), the cut (i32; the test is key > cut), the address of the next node when
 * the test fails and when it passes (i32 each), and the node's value (f64, read at leaves).
 */
export const NODE_BYTES = 24;
export const NODE_FIELDS = { test: 0, cut: 4, next: 8, value: 16 } as const;

/** Rows stepping through a tree together, one local each. */
export const LANES = 8;

export interface ForestKernels {
  /**
   * For each row of `keys` (i32 rows of `rowBytes`; `rows` a multiple of LANES) and each tree in
   * order (roots: node addresses, depths: steps to a leaf; i32 arrays), walks the row to its leaf
   * and adds the leaf's value to scores[row · outputs + tree % outputs] (f64).
   */
  scoreRows(keys: number, rowBytes: number, rows: number, trees: number, roots: number, depths: number, outputs: number, scores: number): void;
}

/** Parameters, then the locals: the block's first row, the tree, steps left, the tree's output (in bytes), the block's scores, then each lane's node and row. */
const LOCALS = 5 + 2 * LANES;

function scoreRows(): Code {
  const [keys, rowBytes, rows, trees, roots, depths, outputs, scores] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [row, tree, steps, outputBytes, rowScores] = [8, 9, 10, 11, 12];
  const node = Array.from({ length: LANES }, (_, lane) => 13 + lane);
  const rowKeys = Array.from({ length: LANES }, (_, lane) => 13 + LANES + lane);

  /** node = next[key > cut], the key read from the lane's row at the node's test offset. */
  const step = (lane: number): Code => [
    ...local.get(node[lane]!),
    ...add(local.get(rowKeys[lane]!), [...local.get(node[lane]!), ...op.i32Load(NODE_FIELDS.test)]),
    ...op.i32Load(),
    ...local.get(node[lane]!),
    ...op.i32Load(NODE_FIELDS.cut),
    ...op.i32GtS,
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.i32Add,
    ...op.i32Load(NODE_FIELDS.next),
    ...local.set(node[lane]!),
  ];
  /** scores[row + lane][output] += the lane's leaf value. */
  const addLeaf = (lane: number): Code => {
    const address = add(local.get(rowScores), [...local.get(outputs), ...op.i32Const(8 * lane), ...op.i32Mul], local.get(outputBytes));
    return [...address, ...address, ...op.f64Load(), ...local.get(node[lane]!), ...op.f64Load(NODE_FIELDS.value), ...op.f64Add, ...op.f64Store()];
  };
  const body = whileNot(atLeast(row, rows), [
    ...rowKeys.flatMap((lane, offset) => [...add(local.get(keys), [...add(local.get(row), op.i32Const(offset)), ...local.get(rowBytes), ...op.i32Mul]), ...local.set(lane)]),
    ...add(local.get(scores), times([...local.get(row), ...local.get(outputs), ...op.i32Mul], 8)),
    ...local.set(rowScores),
    ...op.i32Const(0),
    ...local.set(tree),
    ...op.i32Const(0),
    ...local.set(outputBytes),
    ...whileNot(atLeast(tree, trees), [
      ...add(local.get(roots), times(local.get(tree), 4)),
      ...op.i32Load(),
      ...node.slice(0, -1).flatMap((lane) => local.tee(lane)),
      ...local.set(node[LANES - 1]!),
      ...add(local.get(depths), times(local.get(tree), 4)),
      ...op.i32Load(),
      ...local.set(steps),
      ...whileNot([...local.get(steps), ...op.i32Eqz], [...node.flatMap((_, lane) => step(lane)), ...increment(steps, -1)]),
      ...node.flatMap((_, lane) => addLeaf(lane)),
      // The next tree feeds the next output, back to the first after the last.
      ...increment(outputBytes, 8),
      ...local.get(outputBytes),
      ...local.get(outputBytes),
      ...times(local.get(outputs), 8),
      ...op.i32Ne,
      ...op.i32Mul,
      ...local.set(outputBytes),
      ...increment(tree, 1),
    ]),
    ...increment(row, LANES),
  ]);
  return body;
}

let compiled: WebAssembly.Module | undefined;

/** The kernels over `memory` (compiled once per process, instantiated per memory). */
export function forestKernels(memory: WebAssembly.Memory): ForestKernels {
  compiled ??= new WebAssembly.Module(
    encodeModule([{ name: "scoreRows", params: Array(8).fill(i32), results: [], locals: Array(LOCALS).fill(i32), body: scoreRows() }], 1),
  );
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as ForestKernels;
}

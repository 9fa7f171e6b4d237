import { add, atLeast, encodeModule, f64, F64_ZERO, i32, increment, local, op, times, v128, whileNot, type Code, type WasmFunction } from "./binary.ts";

/** The kernels a network's forward pass runs row by row, over addresses in one memory. */
export interface NetworkKernels {
  /** Lists the position (i32) and value (f64) of each non-zero f32 of src[0..n); returns how many. */
  gatherNonZero(src: number, n: number, index: number, value: number): number;
  /** Lists the position and value of each f64 of src[0..n) that ReLU keeps (> 0); returns how many. */
  gatherActive(src: number, n: number, index: number, value: number): number;
  /**
   * out = bias + Σ_k value[k] · weights[index[k]], rows of `rowBytes` (a multiple of 16). Each
   * output adds its inputs one at a time in list order, as the scalar passes do, two outputs per
   * f64x2 lane pair and four inputs per sweep.
   */
  affine(out: number, bias: number, rowBytes: number, weights: number, index: number, value: number, count: number): void;
}

/** gatherNonZero / gatherActive: every entry is written, and kept by counting it (branch-free). */
function gather(name: string, element: "f32" | "f64"): WasmFunction {
  const [src, n, index, value, i, count, x] = [0, 1, 2, 3, 4, 5, 6];
  const load = element === "f32" ? [...add(local.get(src), times(local.get(i), 4)), ...op.f32Load(), ...op.f64PromoteF32] : [...add(local.get(src), times(local.get(i), 8)), ...op.f64Load()];
  const kept = element === "f32" ? [...local.get(x), ...F64_ZERO, ...op.f64Ne] : [...local.get(x), ...F64_ZERO, ...op.f64Le, ...op.i32Eqz];
  return {
    name,
    params: [i32, i32, i32, i32],
    results: [i32],
    locals: [i32, i32, f64],
    body: [
      ...whileNot(atLeast(i, n), [
        ...load,
        ...local.set(x),
        ...add(local.get(index), times(local.get(count), 4)),
        ...local.get(i),
        ...op.i32Store(),
        ...add(local.get(value), times(local.get(count), 8)),
        ...local.get(x),
        ...op.f64Store(),
        ...local.get(count),
        ...kept,
        ...op.i32Add,
        ...local.set(count),
        ...increment(i, 1),
      ]),
      ...local.get(count),
    ],
  };
}

function affine(): WasmFunction {
  const [out, bias, rowBytes, weights, index, value, count, j, k] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const row = [9, 10, 11, 12];
  const x = [13, 14, 15, 16];
  /** Loads input k + lane: its value splatted, the address of its weight row. */
  const loadInput = (lane: number): Code => [
    ...add(local.get(value), times(local.get(k), 8)),
    ...op.f64Load(8 * lane),
    ...op.f64x2Splat,
    ...local.set(x[lane]!),
    ...local.get(weights),
    ...add(local.get(index), times(local.get(k), 4)),
    ...op.i32Load(4 * lane),
    ...local.get(rowBytes),
    ...op.i32Mul,
    ...op.i32Add,
    ...local.set(row[lane]!),
  ];
  /** out[j..j+2) += x_lane · row_lane[j..j+2), lane by lane in order. */
  const sweep = (lanes: number): Code =>
    whileNot(atLeast(j, rowBytes), [
      ...add(local.get(out), local.get(j)),
      ...add(local.get(out), local.get(j)),
      ...op.v128Load(),
      ...Array.from({ length: lanes }, (_, lane) => [...local.get(x[lane]!), ...add(local.get(row[lane]!), local.get(j)), ...op.v128Load(), ...op.f64x2Mul, ...op.f64x2Add]).flat(),
      ...op.v128Store(),
      ...increment(j, 16),
    ]);
  const fewerInputsLeftThan = (n: number): Code => [...local.get(count), ...local.get(k), ...op.i32Sub, ...op.i32Const(n), ...op.i32GeS, ...op.i32Eqz];
  return {
    name: "affine",
    params: [i32, i32, i32, i32, i32, i32, i32],
    results: [],
    locals: [i32, i32, i32, i32, i32, i32, v128, v128, v128, v128],
    body: [
      ...whileNot(atLeast(j, rowBytes), [...add(local.get(out), local.get(j)), ...add(local.get(bias), local.get(j)), ...op.v128Load(), ...op.v128Store(), ...increment(j, 16)]),
      ...whileNot(fewerInputsLeftThan(4), [...[0, 1, 2, 3].flatMap(loadInput), ...op.i32Const(0), ...local.set(j), ...sweep(4), ...increment(k, 4)]),
      ...whileNot(fewerInputsLeftThan(1), [...loadInput(0), ...op.i32Const(0), ...local.set(j), ...sweep(1), ...increment(k, 1)]),
    ],
  };
}

let compiled: WebAssembly.Module | undefined;

/** The kernels over `memory` (compiled once per process, instantiated per memory). */
export function networkKernels(memory: WebAssembly.Memory): NetworkKernels {
  compiled ??= new WebAssembly.Module(encodeModule([gather("gatherNonZero", "f32"), gather("gatherActive", "f64"), affine()], 1));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as NetworkKernels;
}

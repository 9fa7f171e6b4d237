import type { Random } from "./random.ts";
import { MemoryPlan } from "./wasm/memory-plan.ts";
import { networkKernels, type NetworkKernels } from "./wasm/network-kernels.ts";
import type { Matrix } from "./types.ts";

/**
 * A fully connected ReLU network's shape, with all its parameters in one flat array: for each
 * layer, its weights (units × inputs, unit by unit), then its biases. The last layer is linear:
 * its outputs are the raw scores.
 */
export class NetworkShape {
  readonly weightOffsets: number[] = [];
  readonly biasOffsets: number[] = [];
  readonly parameterCount: number;

  /** @param sizes units per layer, inputs first and outputs last */
  constructor(readonly sizes: readonly number[]) {
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.weightOffsets.push(offset);
      offset += sizes[l]! * sizes[l + 1]!;
      this.biasOffsets.push(offset);
      offset += sizes[l + 1]!;
    }
    this.parameterCount = offset;
  }

  get layerCount(): number {
    return this.sizes.length - 1;
  }

  /** He-normal weights (suited to ReLU), zero biases. */
  initialParameters(random: Random): Float64Array {
    const parameters = new Float64Array(this.parameterCount);
    for (let l = 0; l < this.layerCount; l++) {
      const deviation = Math.sqrt(2 / this.sizes[l]!);
      const end = this.biasOffsets[l]!;
      for (let i = this.weightOffsets[l]!; i < end; i++) parameters[i] = deviation * random.normal();
    }
    return parameters;
  }

  /** Adds the gradient of (decay / 2)·‖weights‖² (biases are not decayed). */
  addWeightDecay(parameters: Float64Array, grad: Float64Array, decay: number): void {
    for (let l = 0; l < this.layerCount; l++) {
      const end = this.biasOffsets[l]!;
      for (let i = this.weightOffsets[l]!; i < end; i++) grad[i]! += decay * parameters[i]!;
    }
  }
}

/**
 * Forward and backward passes over batches of up to `capacity` rows, with buffers allocated
 * once. activations[0] holds the batch's inputs, activations[l] the outputs of layer l (after
 * ReLU and dropout for hidden layers, raw scores for the last).
 *
 * The kernels work on blocks of 4 rows, reusing each weight they load 4 times, and skip the
 * inputs that are zero in all 4 rows (most one-hot columns, ReLU units off in every row): those
 * add nothing to any sum. Batches are padded to a multiple of 4 with zero input rows whose score
 * gradients are zero, so padding never reaches the gradient.
 */
export class NetworkPass {
  readonly activations: Float64Array[];
  private readonly deltas: Float64Array[];
  /** The inputs of the current 4-row block that are non-zero in some row. */
  private readonly columns: Int32Array;

  constructor(
    readonly shape: NetworkShape,
    readonly capacity: number,
  ) {
    const paddedCapacity = padToBlock(capacity);
    this.activations = shape.sizes.map((units) => new Float64Array(paddedCapacity * units));
    this.deltas = shape.sizes.map((units) => new Float64Array(paddedCapacity * units));
    this.columns = new Int32Array(Math.max(...shape.sizes));
  }

  /** Loads X's rows rowOrder[start..start+count) as the batch's inputs. */
  loadRows(X: Matrix, rowOrder: Int32Array, start: number, count: number): void {
    const input = this.activations[0]!;
    for (let i = 0; i < count; i++) {
      input.set(X.values.subarray(rowOrder[start + i]! * X.cols, (rowOrder[start + i]! + 1) * X.cols), i * X.cols);
    }
    input.fill(0, count * X.cols, padToBlock(count) * X.cols);
  }

  /**
   * Computes the batch's raw scores (the last activations, count × outputs). With `dropout`,
   * each hidden unit is zeroed with that probability and the kept ones scaled up (inverted
   * dropout).
   */
  forward(parameters: Float64Array, count: number, dropout = 0, random?: Random): Float64Array {
    const { shape } = this;
    const rows = padToBlock(count);
    const keep = 1 - dropout;
    for (let l = 0; l < shape.layerCount; l++) {
      const units = shape.sizes[l + 1]!;
      const output = this.activations[l + 1]!;
      const input = this.activations[l]!;
      affine(parameters, shape.weightOffsets[l]!, shape.biasOffsets[l]!, shape.sizes[l]!, units, input, output, rows, this.columns);
      if (l + 1 === shape.layerCount) continue;
      for (let i = 0; i < count * units; i++) {
        const z = output[i]!;
        output[i] = z <= 0 || (random !== undefined && dropout > 0 && random.next() < dropout) ? 0 : z / keep;
      }
    }
    return this.activations[shape.layerCount]!;
  }

  /**
   * Adds to `grad` the gradient of the batch's loss, given its gradient by the raw scores
   * (`scoreGrad`, count × outputs), through the activations of the last forward pass.
   */
  backward(parameters: Float64Array, count: number, scoreGrad: Float64Array, grad: Float64Array, dropout = 0): void {
    const { shape } = this;
    const rows = padToBlock(count);
    const outputs = shape.sizes[shape.layerCount]!;
    const scoreDelta = this.deltas[shape.layerCount]!;
    scoreDelta.set(scoreGrad.subarray(0, count * outputs));
    scoreDelta.fill(0, count * outputs, rows * outputs);
    for (let l = shape.layerCount - 1; l >= 0; l--) {
      const inputs = shape.sizes[l]!;
      const units = shape.sizes[l + 1]!;
      const input = this.activations[l]!;
      const delta = this.deltas[l + 1]!;
      const biases = shape.biasOffsets[l]!;
      for (let r = 0; r < count; r++) {
        for (let j = 0; j < units; j++) grad[biases + j]! += delta[r * units + j]!;
      }
      if (l === 0) {
        accumulateWeightGrad(grad, shape.weightOffsets[l]!, inputs, units, input, delta, rows, this.columns);
        continue;
      }
      const inputDelta = this.deltas[l]!;
      backpropagate(parameters, grad, shape.weightOffsets[l]!, inputs, units, input, delta, inputDelta, rows, this.columns);
      // Through ReLU and inverted dropout: a unit that output 0 passes nothing back, a kept one 1 / keep.
      const keep = 1 - dropout;
      for (let i = 0; i < rows * inputs; i++) inputDelta[i] = input[i]! > 0 ? inputDelta[i]! / keep : 0;
    }
  }
}

/**
 * Scores rows with a network's parameters, one row at a time in WebAssembly: each layer adds the
 * weight rows of its non-zero inputs only (transposed, input by input), so the zeros of one-hot
 * columns and of ReLU units cost nothing, two units per SIMD lane pair. Each unit sums its
 * inputs in ascending order from its bias, as `NetworkPass.forward` does, so both give the same
 * scores. Rows are copied in chunks into the scorer's own memory, sized once for the shape.
 */
export class NetworkScorer {
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: NetworkKernels;
  private readonly layers: { weights: number; bias: number; out: number; units: number; rowBytes: number }[] = [];
  private readonly index: number;
  private readonly value: number;
  private readonly rows: number;

  constructor(readonly shape: NetworkShape) {
    const { sizes, layerCount } = shape;
    const plan = new MemoryPlan();
    for (let l = 0; l < layerCount; l++) {
      const units = sizes[l + 1]!;
      const rowBytes = Math.ceil(units / 2) * 16;
      this.layers.push({ weights: plan.reserve(sizes[l]! * rowBytes), bias: plan.reserve(rowBytes), out: plan.reserve(rowBytes), units, rowBytes });
    }
    const widest = Math.max(...sizes);
    this.index = plan.reserve(4 * widest);
    this.value = plan.reserve(8 * widest);
    this.rows = plan.reserve(4 * SCORING_CHUNK * sizes[0]!);
    this.memory = plan.create();
    this.kernels = networkKernels(this.memory);
  }

  /** Takes these parameters (the shape's layout) for the scores that follow. */
  load(parameters: Float64Array): this {
    const { shape } = this;
    const memory = new Float64Array(this.memory.buffer);
    this.layers.forEach((layer, l) => {
      const inputs = shape.sizes[l]!;
      const stride = layer.rowBytes / 8;
      const weights = shape.weightOffsets[l]!;
      for (let j = 0; j < layer.units; j++) {
        for (let i = 0; i < inputs; i++) memory[layer.weights / 8 + i * stride + j] = parameters[weights + j * inputs + i]!;
      }
      memory.set(parameters.subarray(shape.biasOffsets[l]!, shape.biasOffsets[l]! + layer.units), layer.bias / 8);
    });
    return this;
  }

  /** The raw scores (rows × outputs) of X's rows. */
  scores(X: Matrix): Float64Array {
    const inputs = this.shape.sizes[0]!;
    if (X.cols !== inputs) throw new Error(`mlp: model has ${inputs} features, input has ${X.cols}`);
    const { kernels, layers, index, value } = this;
    const outputs = this.shape.sizes[this.shape.layerCount]!;
    const last = layers[layers.length - 1]!;
    const scores = new Float64Array(X.rows * outputs);
    const rowBytes = 4 * X.cols;
    const memoryRows = new Float32Array(this.memory.buffer, this.rows, SCORING_CHUNK * X.cols);
    const memoryValues = new Float64Array(this.memory.buffer);
    for (let start = 0; start < X.rows; start += SCORING_CHUNK) {
      const end = Math.min(X.rows, start + SCORING_CHUNK);
      memoryRows.set(X.values.subarray(start * X.cols, end * X.cols));
      for (let row = start; row < end; row++) {
        let count = kernels.gatherNonZero(this.rows + (row - start) * rowBytes, X.cols, index, value);
        for (const layer of layers) {
          kernels.affine(layer.out, layer.bias, layer.rowBytes, layer.weights, index, value, count);
          if (layer !== last) count = kernels.gatherActive(layer.out, layer.units, index, value);
        }
        for (let j = 0; j < outputs; j++) scores[row * outputs + j] = memoryValues[last.out / 8 + j]!;
      }
    }
    return scores;
  }
}

/** Rows copied into a scorer's memory at a time. */
const SCORING_CHUNK = 256;

function padToBlock(rows: number): number {
  return Math.ceil(rows / 4) * 4;
}

/** output[r, j] = bias[j] + Σ_i input[r, i] · weight[j, i], for `rows` (a multiple of 4) rows. */
function affine(
  parameters: Float64Array,
  weights: number,
  biases: number,
  inputs: number,
  units: number,
  input: Float64Array,
  output: Float64Array,
  rows: number,
  columns: Int32Array,
): void {
  for (let r = 0; r < rows; r += 4) {
    const a0 = r * inputs;
    const a1 = a0 + inputs;
    const a2 = a1 + inputs;
    const a3 = a2 + inputs;
    const count = blockColumns(input, a0, inputs, columns);
    for (let j = 0; j < units; j++) {
      const w = weights + j * inputs;
      const bias = parameters[biases + j]!;
      let s0 = bias;
      let s1 = bias;
      let s2 = bias;
      let s3 = bias;
      for (let k = 0; k < count; k++) {
        const i = columns[k]!;
        const weight = parameters[w + i]!;
        s0 += input[a0 + i]! * weight;
        s1 += input[a1 + i]! * weight;
        s2 += input[a2 + i]! * weight;
        s3 += input[a3 + i]! * weight;
      }
      output[r * units + j] = s0;
      output[(r + 1) * units + j] = s1;
      output[(r + 2) * units + j] = s2;
      output[(r + 3) * units + j] = s3;
    }
  }
}

/** Lists in `columns` the inputs non-zero in some of the 4 rows starting at `a0`; returns how many. */
function blockColumns(input: Float64Array, a0: number, inputs: number, columns: Int32Array): number {
  let count = 0;
  for (let i = 0; i < inputs; i++) {
    if (input[a0 + i] !== 0 || input[a0 + inputs + i] !== 0 || input[a0 + 2 * inputs + i] !== 0 || input[a0 + 3 * inputs + i] !== 0) columns[count++] = i;
  }
  return count;
}

/** grad[j, i] += Σ_r delta[r, j] · input[r, i]. */
function accumulateWeightGrad(
  grad: Float64Array,
  weights: number,
  inputs: number,
  units: number,
  input: Float64Array,
  delta: Float64Array,
  rows: number,
  columns: Int32Array,
): void {
  for (let r = 0; r < rows; r += 4) {
    const a0 = r * inputs;
    const a1 = a0 + inputs;
    const a2 = a1 + inputs;
    const a3 = a2 + inputs;
    const count = blockColumns(input, a0, inputs, columns);
    for (let j = 0; j < units; j++) {
      const g0 = delta[r * units + j]!;
      const g1 = delta[(r + 1) * units + j]!;
      const g2 = delta[(r + 2) * units + j]!;
      const g3 = delta[(r + 3) * units + j]!;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      const w = weights + j * inputs;
      for (let k = 0; k < count; k++) {
        const i = columns[k]!;
        grad[w + i]! += g0 * input[a0 + i]! + g1 * input[a1 + i]! + g2 * input[a2 + i]! + g3 * input[a3 + i]!;
      }
    }
  }
}

/** As accumulateWeightGrad, and inputDelta[r, i] = Σ_j delta[r, j] · weight[j, i] in the same sweep. */
function backpropagate(
  parameters: Float64Array,
  grad: Float64Array,
  weights: number,
  inputs: number,
  units: number,
  input: Float64Array,
  delta: Float64Array,
  inputDelta: Float64Array,
  rows: number,
  columns: Int32Array,
): void {
  inputDelta.fill(0, 0, rows * inputs);
  for (let r = 0; r < rows; r += 4) {
    const a0 = r * inputs;
    const a1 = a0 + inputs;
    const a2 = a1 + inputs;
    const a3 = a2 + inputs;
    const count = blockColumns(input, a0, inputs, columns);
    for (let j = 0; j < units; j++) {
      const g0 = delta[r * units + j]!;
      const g1 = delta[(r + 1) * units + j]!;
      const g2 = delta[(r + 2) * units + j]!;
      const g3 = delta[(r + 3) * units + j]!;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      const w = weights + j * inputs;
      for (let k = 0; k < count; k++) {
        const i = columns[k]!;
        const weight = parameters[w + i]!;
        grad[w + i]! += g0 * input[a0 + i]! + g1 * input[a1 + i]! + g2 * input[a2 + i]! + g3 * input[a3 + i]!;
        inputDelta[a0 + i]! += g0 * weight;
        inputDelta[a1 + i]! += g1 * weight;
        inputDelta[a2 + i]! += g2 * weight;
        inputDelta[a3 + i]! += g3 * weight;
      }
    }
  }
}

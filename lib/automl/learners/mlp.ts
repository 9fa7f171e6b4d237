import { EarlyStopping } from "./early-stopping.ts";
import { NetworkPass, NetworkScorer, NetworkShape } from "./mlp-network.ts";
import { objectiveFor, outputCount, type Objective } from "./objective.ts";
import { ParamReader } from "./params.ts";
import { Random } from "./random.ts";
import { SerializedFields } from "./serialized-fields.ts";
import { standardizeTarget } from "./target-scaling.ts";
import { checkFitData } from "./training-data.ts";
import type { Dataset, FitOptions, Learner, Matrix, Params, SerializedModel, Task, TrainedModel } from "./types.ts";

const VERSION = 1;

// Small by default: in pure JavaScript each weight costs a few nanoseconds per row and epoch,
// and tabular problems rarely reward width.
const defaults: Params = {
  hiddenLayers: 1,
  /** Units of the first hidden layer; each further layer has half as many (at least 8). */
  hiddenUnits: 32,
  learningRate: 5e-3,
  batchSize: 128,
  weightDecay: 1e-4,
  dropout: 0,
  epochs: 100,
  earlyStoppingRounds: 10,
};

/**
 * A multilayer perceptron on imputed, scaled features: ReLU hidden layers, a sigmoid, softmax
 * or linear output, trained with Adam on shuffled mini-batches, L2 weight decay and optional
 * dropout, stopping early on the validation loss. Initialization, shuffling and dropout draw
 * from the seed only.
 */
export const mlpLearner: Learner = {
  algorithm: "mlp",
  needsScaledInput: true,
  iterationsParam: "epochs",
  defaults,
  searchSpace: {
    hiddenLayers: { type: "int", low: 1, high: 3 },
    hiddenUnits: { type: "int", low: 16, high: 128, log: true },
    learningRate: { type: "float", low: 1e-3, high: 3e-2, log: true },
    batchSize: { type: "choice", values: [32, 64, 128, 256] },
    weightDecay: { type: "float", low: 1e-6, high: 1e-1, log: true },
    dropout: { type: "float", low: 0, high: 0.5 },
  },
  fit(train, task, params, options) {
    checkFitData("mlp", task, train, options, false);
    const read = new ParamReader("mlp", defaults, params);
    return trainNetwork(train, task, options, {
      hiddenLayers: read.int("hiddenLayers", 1, 10),
      hiddenUnits: read.int("hiddenUnits", 1, 65_536),
      learningRate: read.number("learningRate", Number.MIN_VALUE, 10),
      batchSize: read.int("batchSize", 1, 1 << 20),
      weightDecay: read.number("weightDecay", 0, Infinity),
      dropout: read.number("dropout", 0, 0.95),
      epochs: read.int("epochs", 0, 1_000_000),
      earlyStoppingRounds: read.int("earlyStoppingRounds", 0, 1_000_000),
    });
  },
};

interface MlpSettings {
  hiddenLayers: number;
  hiddenUnits: number;
  learningRate: number;
  batchSize: number;
  weightDecay: number;
  dropout: number;
  epochs: number;
  earlyStoppingRounds: number;
}

function trainNetwork(train: Dataset, task: Task, options: FitOptions, settings: MlpSettings): MlpModel {
  const { X, weights } = train;
  const objective = objectiveFor(task);
  const target = task.kind === "regression" ? standardizeTarget(train.y, weights) : undefined;
  const y = target?.values ?? train.y;
  const validation = options.validation && {
    X: options.validation.X,
    y: target ? options.validation.y.map((value) => (value - target.mean) / target.scale) : options.validation.y,
    weights: options.validation.weights,
  };

  const hidden = Array.from({ length: settings.hiddenLayers }, (_, l) =>
    Math.max(8, Math.round(settings.hiddenUnits / 2 ** l)),
  );
  const shape = new NetworkShape([X.cols, ...hidden, objective.outputs]);
  const random = new Random(options.seed);
  let parameters = shape.initialParameters(random);
  const trainer = new MiniBatchTrainer(shape, { X, y, weights }, objective, settings, random);
  const earlyStopping =
    validation && settings.earlyStoppingRounds > 0
      ? { validation, stopping: new EarlyStopping(settings.earlyStoppingRounds, 1e-4), scorer: new NetworkScorer(shape) }
      : undefined;
  const best = parameters.slice();
  const outOfTime = (): boolean => options.deadline !== undefined && Date.now() >= options.deadline;

  let epochs = 0;
  while (epochs < settings.epochs && !outOfTime()) {
    if (!trainer.runEpoch(parameters, outOfTime)) break;
    epochs++;
    if (earlyStopping) {
      const { validation, stopping, scorer } = earlyStopping;
      const loss = objective.loss(scorer.load(parameters).scores(validation.X), validation.y, validation.weights);
      if (stopping.record(loss, epochs)) best.set(parameters);
      if (stopping.shouldStop(epochs)) break;
    }
  }
  if (earlyStopping && earlyStopping.stopping.bestIteration > 0) {
    parameters = best;
    epochs = earlyStopping.stopping.bestIteration;
  }
  if (target) foldTargetScale(shape, parameters, target.mean, target.scale);
  return new MlpModel(task, shape, parameters, epochs);
}

/** Epochs of Adam steps on shuffled mini-batches, with buffers allocated once. */
class MiniBatchTrainer {
  private readonly pass: NetworkPass;
  private readonly optimizer: Adam;
  private readonly grad: Float64Array;
  private readonly scoreGrad: Float64Array;
  private readonly batchY: Float64Array;
  private readonly batchWeights: Float64Array | undefined;
  private readonly order: Int32Array;

  constructor(
    private readonly shape: NetworkShape,
    private readonly data: Dataset,
    private readonly objective: Objective,
    private readonly settings: MlpSettings,
    private readonly random: Random,
  ) {
    this.pass = new NetworkPass(shape, Math.min(settings.batchSize, data.X.rows));
    this.optimizer = new Adam(shape.parameterCount, settings.learningRate);
    this.grad = new Float64Array(shape.parameterCount);
    this.scoreGrad = new Float64Array(this.pass.capacity * objective.outputs);
    this.batchY = new Float64Array(this.pass.capacity);
    this.batchWeights = data.weights && new Float64Array(this.pass.capacity);
    this.order = Int32Array.from({ length: data.X.rows }, (_, i) => i);
  }

  /** One pass over the rows in a new random order; false when the deadline cut it short. */
  runEpoch(parameters: Float64Array, outOfTime: () => boolean): boolean {
    const { pass, objective, settings, order, batchY, batchWeights, scoreGrad, grad } = this;
    const { X, y, weights } = this.data;
    const outputs = objective.outputs;
    this.random.shuffle(order);
    for (let start = 0; start < X.rows; start += pass.capacity) {
      const count = Math.min(pass.capacity, X.rows - start);
      pass.loadRows(X, order, start, count);
      let batchWeight = 0;
      for (let i = 0; i < count; i++) {
        const row = order[start + i]!;
        batchY[i] = y[row]!;
        const weight = weights?.[row] ?? 1;
        if (batchWeights) batchWeights[i] = weight;
        batchWeight += weight;
      }
      if (batchWeight === 0) continue;
      const scores = pass.forward(parameters, count, settings.dropout, this.random);
      objective.derivatives(
        scores.subarray(0, count * outputs),
        batchY.subarray(0, count),
        batchWeights?.subarray(0, count),
        scoreGrad,
      );
      for (let i = 0; i < count * outputs; i++) scoreGrad[i]! /= batchWeight;
      grad.fill(0);
      pass.backward(parameters, count, scoreGrad, grad, settings.dropout);
      this.shape.addWeightDecay(parameters, grad, settings.weightDecay);
      this.optimizer.step(parameters, grad);
      if (outOfTime()) return false;
    }
    return true;
  }
}

/** Makes the output layer predict in the target's units rather than standardized ones. */
function foldTargetScale(shape: NetworkShape, parameters: Float64Array, mean: number, scale: number): void {
  const last = shape.layerCount - 1;
  for (let i = shape.weightOffsets[last]!; i < shape.biasOffsets[last]!; i++) parameters[i]! *= scale;
  const bias = shape.biasOffsets[last]!;
  parameters[bias] = parameters[bias]! * scale + mean;
}

/** Adam (Kingma & Ba) with bias correction. */
class Adam {
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;
  private steps = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.firstMoment = new Float64Array(size);
    this.secondMoment = new Float64Array(size);
  }

  step(parameters: Float64Array, grad: Float64Array): void {
    const { beta1, beta2, epsilon, firstMoment, secondMoment } = this;
    this.steps++;
    const stepSize = (this.learningRate * Math.sqrt(1 - beta2 ** this.steps)) / (1 - beta1 ** this.steps);
    for (let i = 0; i < parameters.length; i++) {
      const g = grad[i]!;
      const m = (firstMoment[i] = beta1 * firstMoment[i]! + (1 - beta1) * g);
      const v = (secondMoment[i] = beta2 * secondMoment[i]! + (1 - beta2) * g * g);
      parameters[i]! -= (stepSize * m) / (Math.sqrt(v) + epsilon);
    }
  }
}

class MlpModel implements TrainedModel {
  readonly algorithm = "mlp";
  private readonly scorer: NetworkScorer;

  constructor(
    readonly task: Task,
    private readonly shape: NetworkShape,
    private readonly parameters: Float64Array,
    readonly iterations: number,
  ) {
    this.scorer = new NetworkScorer(shape).load(parameters);
  }

  predict(X: Matrix): Float64Array {
    return objectiveFor(this.task).transform(this.scorer.scores(X));
  }

  toJSON(): SerializedModel {
    return {
      algorithm: "mlp",
      version: VERSION,
      task: this.task,
      layerSizes: [...this.shape.sizes],
      epochs: this.iterations,
      parameters: Array.from(this.parameters),
    };
  }
}

export function loadMlpModel(json: SerializedModel): TrainedModel {
  const fields = new SerializedFields(json, "mlp", VERSION);
  const task = fields.task();
  const widths = Array.from(fields.numbers("layerSizes"));
  if (widths.length < 2 || !widths.every((size) => Number.isInteger(size) && size > 0)) {
    throw fields.invalid(`field "layerSizes" is not a list of layer widths`);
  }
  // Small integers, not the doubles a Float64Array hands back: the network's hot loops index with them.
  const sizes = widths.map((size) => size | 0);
  if (sizes[sizes.length - 1] !== outputCount(task)) throw fields.invalid("the output layer does not fit the task");
  const shape = new NetworkShape(sizes);
  return new MlpModel(task, shape, fields.numbers("parameters", shape.parameterCount), fields.number("epochs"));
}

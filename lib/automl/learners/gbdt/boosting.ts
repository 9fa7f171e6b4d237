import { EarlyStopping } from "../early-stopping.ts";
import { initialScores, objectiveFor } from "../objective.ts";
import { Random } from "../random.ts";
import type { Dataset, FitOptions, Task } from "../types.ts";
import { binMatrix } from "./binning.ts";
import { concatenateTrees } from "./forest.ts";
import { GbdtModel } from "./model.ts";
import { addTreeOutputs, type TreeArrays } from "./tree.ts";
import { TreeBuilder, type GrowthSettings, type GrownTree } from "./tree-builder.ts";

export interface BoostingSettings extends GrowthSettings {
  nRounds: number;
  /** Rounds without a better validation loss before stopping; 0 never stops early. */
  earlyStoppingRounds: number;
  /** Fraction of rows each tree is grown on. */
  subsample: number;
  /** Fraction of features each tree may split on. */
  colsampleByTree: number;
  maxBins: number;
}

/**
 * Gradient boosting with second-order trees: each round fits one tree per output to the loss's
 * gradients and hessians at the current scores. With validation data, keeps the rounds up to
 * the best validation loss.
 */
export function boost(train: Dataset, task: Task, settings: BoostingSettings, options: FitOptions): GbdtModel {
  const { X, y, weights } = train;
  const objective = objectiveFor(task);
  const outputs = objective.outputs;
  const builder = new TreeBuilder(binMatrix(X, settings.maxBins), X.rows, settings);
  const baseScores = objective.baseScores(y, weights);
  const scores = initialScores(baseScores, X.rows);
  const grad = new Float64Array(scores.length);
  const hess = new Float64Array(scores.length);
  const gradHess = new Float64Array(2 * X.rows);
  const sampler = new TreeSampler(X.cols, settings, new Random(options.seed));

  const validation = options.validation;
  const validationScores = validation && initialScores(baseScores, validation.X.rows);
  const stopping =
    validation && settings.earlyStoppingRounds > 0 ? new EarlyStopping(settings.earlyStoppingRounds) : undefined;

  const trees: TreeArrays[] = [];
  let rounds = 0;
  while (rounds < settings.nRounds && !(options.deadline !== undefined && Date.now() >= options.deadline)) {
    objective.derivatives(scores, y, weights, grad, hess);
    for (let output = 0; output < outputs; output++) {
      for (let row = 0; row < X.rows; row++) {
        gradHess[2 * row] = grad[row * outputs + output]!;
        gradHess[2 * row + 1] = hess[row * outputs + output]!;
      }
      sampler.leaveOutRows(gradHess);
      const tree = builder.grow(gradHess, sampler.features());
      builder.addOutputs(scores, outputs, output);
      if (validation && validationScores) {
        addTreeOutputs(tree, 0, validation.X.values, validation.X.cols, validationScores, outputs, output);
      }
      trees.push(copyTree(tree));
    }
    rounds++;
    if (validation && validationScores && stopping) {
      stopping.record(objective.loss(validationScores, validation.y, validation.weights), rounds);
      if (stopping.shouldStop(rounds)) break;
    }
  }
  const keptTrees = (stopping ? stopping.bestIteration : rounds) * outputs;
  const forest = concatenateTrees(trees.slice(0, keptTrees));
  return new GbdtModel(task, X.cols, baseScores, forest);
}

/** Chooses each tree's rows and features (XGBoost's subsample and colsample_bytree). */
class TreeSampler {
  private readonly allFeatures: Int32Array;

  constructor(
    private readonly featureCount: number,
    private readonly settings: BoostingSettings,
    private readonly random: Random,
  ) {
    this.allFeatures = Int32Array.from({ length: featureCount }, (_, i) => i);
  }

  /** Zeroes the gradient and hessian of the rows this tree does not sample. */
  leaveOutRows(gradHess: Float64Array): void {
    if (this.settings.subsample >= 1) return;
    for (let i = 0; i < gradHess.length; i += 2) {
      if (this.random.next() >= this.settings.subsample) {
        gradHess[i] = 0;
        gradHess[i + 1] = 0;
      }
    }
  }

  features(): Int32Array {
    if (this.settings.colsampleByTree >= 1) return this.allFeatures;
    const count = Math.max(1, Math.round(this.settings.colsampleByTree * this.featureCount));
    return this.random.sampleSorted(this.featureCount, count);
  }
}

function copyTree(tree: GrownTree): TreeArrays {
  const n = tree.nodeCount;
  return {
    feature: tree.feature.slice(0, n),
    threshold: tree.threshold.slice(0, n),
    defaultLeft: tree.defaultLeft.slice(0, n),
    leftChild: tree.leftChild.slice(0, n),
    value: tree.value.slice(0, n),
  };
}


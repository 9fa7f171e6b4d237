import { initialScores, objectiveFor, outputCount } from "../objective.ts";
import { SerializedFields } from "../serialized-fields.ts";
import type { Matrix, SerializedModel, Task, TrainedModel } from "../types.ts";
import { fromBase64, toBase64, type TypedArrayType } from "./base64-arrays.ts";
import { ForestScorer, forestDefect, type Forest } from "./forest.ts";

const VERSION = 1;

export class GbdtModel implements TrainedModel {
  readonly algorithm = "gbdt";
  /** Boosting rounds kept. */
  readonly iterations: number;
  private readonly scorer: ForestScorer;

  constructor(
    readonly task: Task,
    private readonly featureCount: number,
    /** Raw scores before any tree: the prior's logits, or the mean. */
    private readonly baseScores: Float64Array,
    private readonly forest: Forest,
  ) {
    this.iterations = forest.roots.length / baseScores.length;
    this.scorer = new ForestScorer(forest, featureCount, baseScores.length);
  }

  predict(X: Matrix): Float64Array {
    const scores = initialScores(this.baseScores, X.rows);
    this.scorer.addOutputs(X.values, X.cols, scores);
    return objectiveFor(this.task).transform(scores);
  }

  toJSON(): SerializedModel {
    const { forest } = this;
    return {
      algorithm: "gbdt",
      version: VERSION,
      task: this.task,
      featureCount: this.featureCount,
      baseScores: Array.from(this.baseScores),
      treeRoots: toBase64(forest.roots),
      nodeFeature: toBase64(forest.feature),
      nodeThreshold: toBase64(forest.threshold),
      nodeDefaultLeft: toBase64(forest.defaultLeft),
      nodeLeftChild: toBase64(forest.leftChild),
      nodeValue: toBase64(forest.value),
    };
  }
}

export function loadGbdtModel(json: SerializedModel): GbdtModel {
  const fields = new SerializedFields(json, "gbdt", VERSION);
  const task = fields.task();
  const featureCount = fields.number("featureCount");
  const array = <T>(name: string, type: TypedArrayType<T>): T => {
    const decoded = fromBase64(fields.string(name), type);
    if (decoded === undefined) throw fields.invalid(`field "${name}" is not a base64 ${type.name}`);
    return decoded;
  };
  const forest: Forest = {
    roots: array("treeRoots", Int32Array),
    feature: array("nodeFeature", Int32Array),
    threshold: array("nodeThreshold", Float64Array),
    defaultLeft: array("nodeDefaultLeft", Uint8Array),
    leftChild: array("nodeLeftChild", Int32Array),
    value: array("nodeValue", Float64Array),
  };
  const outputs = outputCount(task);
  const defect = forestDefect(forest, featureCount) ?? (forest.roots.length % outputs ? "a partial round" : undefined);
  if (defect) throw fields.invalid(defect);
  return new GbdtModel(task, featureCount, fields.numbers("baseScores", outputs), forest);
}

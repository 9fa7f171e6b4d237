import type { EncodedFeatures } from "./encoding.ts";
import { loadModel } from "./learners/index.ts";
import type { Matrix, SerializedModel } from "./learners/types.ts";
import { applyOutputMap, checkOutputMap, type OutputMap } from "./output-maps.ts";
import { transform, type Preprocessing } from "./preprocessing.ts";

/**
 * What turns encoded features into model output: one fitted model behind its preprocessing, an
 * average of several (a candidate's cross-validation fold models, an ensemble's members),
 * weighted when `weights` (summing to 1) is given, or another predictor's output mapped (back
 * from a log target, or calibrated: see `OutputMap`).
 */
export type PredictorSpec =
  | { kind: "model"; preprocessing: Preprocessing; model: SerializedModel }
  | { kind: "average"; members: PredictorSpec[]; weights?: number[] }
  | { kind: "mapped"; base: PredictorSpec; map: OutputMap };

export interface Predictor {
  /** Raw output in the learners' layout (see `TrainedModel.predict`). */
  predict(data: EncodedFeatures): Float64Array;
}

export function loadPredictor(spec: PredictorSpec): Predictor {
  return loadWithSharedTransforms(spec, new Map());
}

type Transform = (data: EncodedFeatures) => Matrix;

/**
 * Loads the predictor with one transform per distinct preprocessing: the members of an average
 * that read the same features (an ensemble's scaled learners, refitted on the same rows) then
 * preprocess each batch of rows once between them.
 */
function loadWithSharedTransforms(spec: PredictorSpec, transforms: Map<string, Transform>): Predictor {
  if (spec.kind === "mapped") {
    const base = loadWithSharedTransforms(spec.base, transforms);
    const map = checkOutputMap(spec.map);
    return { predict: (data) => applyOutputMap(map, base.predict(data)) };
  }
  if (spec.kind === "average") {
    const weights = spec.weights ?? spec.members.map(() => 1 / spec.members.length);
    if (weights.length !== spec.members.length) throw new Error("An averaged predictor needs one weight per member");
    return averagePredictor(spec.members.map((member) => loadWithSharedTransforms(member, transforms)), weights);
  }
  const model = loadModel(spec.model);
  const key = JSON.stringify(spec.preprocessing);
  const shared = transforms.get(key) ?? transformOncePerBatch(spec.preprocessing);
  transforms.set(key, shared);
  return {
    predict: (data) => model.predict(shared(data)),
  };
}

/** The transform, remembered for as long as the batch it was applied to is in use. */
function transformOncePerBatch(preprocessing: Preprocessing): Transform {
  const byBatch = new WeakMap<EncodedFeatures, Matrix>();
  return (data) => {
    let matrix = byBatch.get(data);
    if (!matrix) {
      matrix = transform(preprocessing, data);
      byBatch.set(data, matrix);
    }
    return matrix;
  };
}

function averagePredictor(members: Predictor[], weights: readonly number[]): Predictor {
  return {
    predict: (data) => {
      const outputs = members.map((member) => member.predict(data));
      const average = new Float64Array(outputs[0]!.length);
      outputs.forEach((output, m) => {
        for (let i = 0; i < average.length; i++) average[i]! += weights[m]! * output[i]!;
      });
      return average;
    },
  };
}

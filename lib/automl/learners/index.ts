import { gbdtLearner, loadGbdtModel } from "./gbdt/index.ts";
import { linearLearner, loadLinearModel } from "./linear.ts";
import { loadMlpModel, mlpLearner } from "./mlp.ts";
import type { Algorithm, Learner, SerializedModel, TrainedModel } from "./types.ts";

export const learners: Record<Algorithm, Learner> = {
  gbdt: gbdtLearner,
  linear: linearLearner,
  mlp: mlpLearner,
};

const loaders: Record<Algorithm, (json: SerializedModel) => TrainedModel> = {
  gbdt: loadGbdtModel,
  linear: loadLinearModel,
  mlp: loadMlpModel,
};

/** Turns `TrainedModel.toJSON()` output (after any JSON round trip) back into a model. */
export function loadModel(json: SerializedModel): TrainedModel {
  const algorithm = (json as Partial<SerializedModel> | null)?.algorithm;
  if (typeof algorithm !== "string" || !Object.hasOwn(loaders, algorithm)) {
    throw new Error(
      `cannot load model: unknown algorithm ${JSON.stringify(algorithm)} (known: ${Object.keys(loaders).join(", ")})`,
    );
  }
  return loaders[algorithm as Algorithm](json);
}

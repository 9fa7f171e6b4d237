import type { EncodedFeatures } from "./encoding.ts";
import { loadModel } from "./learners/index.ts";
import type { SerializedModel } from "./learners/types.ts";
import { outputSources, transform, type Preprocessing } from "./preprocessing.ts";

/**
 * What turns encoded features into model output: one fitted model behind its preprocessing, or
 * the average of several (a candidate's cross-validation fold models, an ensemble's members).
 */
export type PredictorSpec =
  | { kind: "model"; preprocessing: Preprocessing; model: SerializedModel }
  | { kind: "average"; members: PredictorSpec[] };

export interface Predictor {
  /** Raw output in the learners' layout (see `TrainedModel.predict`). */
  predict(data: EncodedFeatures): Float64Array;
  /** Importance per input column name, summing to 1 when any is non-zero. */
  importance(): Map<string, number>;
}

export function loadPredictor(spec: PredictorSpec): Predictor {
  if (spec.kind === "average") return averagePredictor(spec.members.map(loadPredictor));
  const model = loadModel(spec.model);
  return {
    predict: (data) => model.predict(transform(spec.preprocessing, data)),
    importance: () => {
      const sources = outputSources(spec.preprocessing);
      const byColumn = new Map<string, number>();
      model.featureImportance().forEach((value, i) => byColumn.set(sources[i]!, (byColumn.get(sources[i]!) ?? 0) + value));
      return byColumn;
    },
  };
}

function averagePredictor(members: Predictor[]): Predictor {
  return {
    predict: (data) => {
      const outputs = members.map((member) => member.predict(data));
      const sum = new Float64Array(outputs[0]!.length);
      for (const output of outputs) for (let i = 0; i < sum.length; i++) sum[i]! += output[i]!;
      return sum.map((value) => value / outputs.length);
    },
    importance: () => {
      const byColumn = new Map<string, number>();
      for (const member of members) {
        for (const [column, value] of member.importance()) byColumn.set(column, (byColumn.get(column) ?? 0) + value / members.length);
      }
      return byColumn;
    },
  };
}

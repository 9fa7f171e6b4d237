import { describe, expect, it } from "vitest";
import { withInferenceKeys, type InferenceContainer } from "../../lib/flow/inference-keys.ts";

/** An HPO classification candidate's containers as Autopilot hands them out (AWS developer guide, "Batch inferencing"). */
const hpo: InferenceContainer[] = [
  { Image: "sklearn-automl", Environment: { AUTOML_TRANSFORM_MODE: "feature-transform" } },
  { Image: "xgboost", Environment: { SAGEMAKER_INFERENCE_OUTPUT: "predicted_label", SAGEMAKER_INFERENCE_SUPPORTED: "predicted_label,probability,probabilities" } },
  {
    Image: "sklearn-automl",
    Environment: {
      AUTOML_TRANSFORM_MODE: "inverse-label-transform",
      SAGEMAKER_INFERENCE_INPUT: "predicted_label",
      SAGEMAKER_INFERENCE_OUTPUT: "predicted_label",
      SAGEMAKER_INFERENCE_SUPPORTED: "predicted_label,probability,labels,probabilities",
    },
  },
];
const environments = (containers: InferenceContainer[]) => containers.map((container) => container.Environment);

describe("choosing the answers as the SageMaker Python SDK's inference_response_keys does", () => {
  it("sets each supporting container's output to the keys it supports, in the order asked, and chains the next one's input", () => {
    const chosen = environments(withInferenceKeys(hpo, ["predicted_label", "labels", "probabilities", "probability"]));
    expect(chosen[0]).toEqual(hpo[0]!.Environment);
    expect(chosen[1]).toMatchObject({ SAGEMAKER_INFERENCE_OUTPUT: "predicted_label,probabilities,probability" });
    expect(chosen[1]!.SAGEMAKER_INFERENCE_INPUT).toBeUndefined();
    expect(chosen[2]).toMatchObject({ SAGEMAKER_INFERENCE_INPUT: "predicted_label,probabilities,probability", SAGEMAKER_INFERENCE_OUTPUT: "predicted_label,labels,probabilities,probability" });
  });

  it("leaves a container that supports none of the keys, and the next one's input, as they were", () => {
    const chosen = environments(withInferenceKeys(hpo, ["labels"]));
    expect(chosen[1]).toEqual(hpo[1]!.Environment);
    expect(chosen[2]).toMatchObject({ SAGEMAKER_INFERENCE_INPUT: "predicted_label", SAGEMAKER_INFERENCE_OUTPUT: "labels" });
  });

  it("changes nothing for no keys, and refuses keys the last container does not support", () => {
    expect(withInferenceKeys(hpo, [])).toEqual(hpo);
    expect(() => withInferenceKeys(hpo, ["predicted_label", "confidence"])).toThrow(/cannot answer confidence/);
    expect(() => withInferenceKeys(hpo.slice(0, 1), ["predicted_label"])).toThrow(/lists no SAGEMAKER_INFERENCE_SUPPORTED/);
  });
});

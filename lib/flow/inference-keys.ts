/** A container as CreateModel takes it (AutoMLContainerDefinition). */
export interface InferenceContainer {
  Image?: string;
  ModelDataUrl?: string;
  Environment?: Record<string, string>;
}

/**
 * The candidate's containers with their answers chosen, as the SageMaker Python SDK's
 * `AutoML.create_model(..., inference_response_keys=keys)` chooses them
 * (sagemaker/automl/automl.py, validate_and_update_inference_response): the keys are checked
 * against the last container's SAGEMAKER_INFERENCE_SUPPORTED; each container that lists supported
 * keys answers the asked keys it supports (SAGEMAKER_INFERENCE_OUTPUT) and reads the previous such
 * container's answer (SAGEMAKER_INFERENCE_INPUT). Setting OUTPUT on every container instead breaks
 * an HPO-mode pipeline (AWS developer guide, "Configure inference output in generated containers").
 */
export function withInferenceKeys(containers: readonly InferenceContainer[], keys: readonly string[]): InferenceContainer[] {
  if (keys.length === 0) return [...containers];
  const supportedBy = (container: InferenceContainer) => container.Environment?.SAGEMAKER_INFERENCE_SUPPORTED?.split(",").map((key) => key.trim());
  const last = containers.at(-1);
  const supportedByLast = last && supportedBy(last);
  if (!supportedByLast) throw new Error("the candidate's last inference container lists no SAGEMAKER_INFERENCE_SUPPORTED keys: it answers its default content only");
  const unsupported = keys.filter((key) => !supportedByLast.includes(key));
  if (unsupported.length > 0) throw new Error(`the candidate's inference containers cannot answer ${unsupported.join(", ")}; they support ${supportedByLast.join(", ")}`);
  let previousOutput: string | undefined;
  return containers.map((container) => {
    const supported = supportedBy(container);
    if (!supported) {
      previousOutput = undefined;
      return container;
    }
    const output = keys.filter((key) => supported.includes(key)).join(",");
    // A container that supports none of the keys keeps its default answer, and the next one its default input.
    if (!output) {
      previousOutput = undefined;
      return container;
    }
    const environment = { ...container.Environment, SAGEMAKER_INFERENCE_OUTPUT: output, ...(previousOutput ? { SAGEMAKER_INFERENCE_INPUT: previousOutput } : {}) };
    previousOutput = output;
    return { ...container, Environment: environment };
  });
}

import { formatCsvRow, transformFeatures, type AutoMLModel, type DataProcessorArtifact, type LoadedAlgorithm } from "../../../../automl/index.ts";
import { ContainerError, inferenceKeys, parseProbabilities, readRows, writeAnswer, type Answer, type AnswerRow, type InferenceKey, type Invocation } from "./payload.ts";

/** One inference container of an endpoint, serving `/invocations`. */
export interface ServingContainer {
  /** SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: what it answers when no Accept is given (inside a pipeline, always). */
  defaultAccept: string;
  invoke(invocation: Invocation): Answer;
}

const CLASSIFICATION_KEYS: readonly InferenceKey[] = ["predicted_label", "probability", "probabilities", "labels"];

function defaultAccept(environment: Record<string, string>): string {
  return environment.SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT ?? "text/csv";
}

/** SAGEMAKER_INFERENCE_OUTPUT (predicted_label when unset), refused when it asks for what this container cannot give. */
function outputKeys(environment: Record<string, string>, available: readonly InferenceKey[], what: string): InferenceKey[] {
  const asked = inferenceKeys(environment, "SAGEMAKER_INFERENCE_OUTPUT", "predicted_label");
  const missing = asked.filter((key) => !available.includes(key));
  if (missing.length > 0) throw new ContainerError(`SAGEMAKER_INFERENCE_OUTPUT asks for ${missing.join(", ")}; ${what} answers ${available.join(", ") || "nothing"}.`);
  return asked;
}

/**
 * ENSEMBLING mode's single container: raw rows in, answers out. `probability` is the probability
 * of `predicted_label`, for binary and multiclass problems alike (AWS developer guide, "Configure
 * inference output in generated containers", ensembling mode).
 */
export function ensembleContainer(model: AutoMLModel, environment: Record<string, string>): ServingContainer {
  const regression = model.artifact.problemType === "Regression";
  return {
    defaultAccept: defaultAccept(environment),
    invoke(invocation) {
      const keys = outputKeys(environment, regression ? ["predicted_label"] : CLASSIFICATION_KEYS, `this ${model.artifact.problemType} model`);
      const rows = model.predict(readRows(invocation)).map((prediction): AnswerRow => {
        if (!prediction.probabilities) return { predicted_label: prediction.predicted_label };
        const index = model.artifact.labels.indexOf(prediction.predicted_label);
        return { predicted_label: prediction.predicted_label, probability: prediction.probabilities[index]!, probabilities: prediction.probabilities, labels: model.artifact.labels };
      });
      return writeAnswer(rows, keys, invocation.accept);
    },
  };
}

/** The data processor in feature-transform mode: raw rows in, the algorithm's input rows out (text/csv). */
export function featureTransformContainer(processor: DataProcessorArtifact, environment: Record<string, string>): ServingContainer {
  return {
    defaultAccept: defaultAccept(environment),
    invoke(invocation) {
      const accept = invocation.accept.split(";")[0]!.trim().toLowerCase();
      if (accept !== "text/csv") throw new ContainerError(`The feature transform answers text/csv; Accept ${accept} is not supported.`);
      const features = transformFeatures(processor, readRows(invocation));
      return { contentType: "text/csv", body: Buffer.from(features.map((fields) => formatCsvRow(fields) + "\n").join(""), "utf8") };
    },
  };
}

/**
 * The algorithm between the data processor's two modes: transformed rows in; `predicted_label` is
 * the encoded class index (the value, for regression) and, for binary problems, `probability` is
 * the probability of the true class (AWS developer guide, "Configure inference output in
 * generated containers", HPO mode). It cannot answer `labels`: only the data processor knows them.
 */
export function algorithmContainer(algorithm: LoadedAlgorithm, environment: Record<string, string>): ServingContainer {
  const { problemType } = algorithm.artifact;
  const available: readonly InferenceKey[] = problemType === "Regression" ? ["predicted_label"] : ["predicted_label", "probability", "probabilities"];
  return {
    defaultAccept: defaultAccept(environment),
    invoke(invocation) {
      const keys = outputKeys(environment, available, `the ${problemType} algorithm`);
      const rows = algorithm.score(readRows(invocation)).map(({ predicted, probabilities }): AnswerRow => {
        if (!probabilities) return { predicted_label: predicted };
        const probability = problemType === "BinaryClassification" ? probabilities[1]! : probabilities[predicted]!;
        return { predicted_label: predicted, probability, probabilities };
      });
      return writeAnswer(rows, keys, invocation.accept);
    },
  };
}

/**
 * The data processor in inverse-label-transform mode: reads the fields SAGEMAKER_INFERENCE_INPUT
 * names (predicted_label when unset), one per key, turns class indices back into labels, and
 * answers SAGEMAKER_INFERENCE_OUTPUT from them. `labels` it knows itself; a key asked for but not
 * among the input comes back NaN, as the generated container's serving code answers it (AWS does
 * not document this; the SageMaker Python SDK chains INPUT to the previous OUTPUT to avoid it).
 */
export function inverseLabelContainer(processor: DataProcessorArtifact, environment: Record<string, string>): ServingContainer {
  return {
    defaultAccept: defaultAccept(environment),
    invoke(invocation) {
      const inputKeys = inferenceKeys(environment, "SAGEMAKER_INFERENCE_INPUT", "predicted_label");
      const keys = inferenceKeys(environment, "SAGEMAKER_INFERENCE_OUTPUT", "predicted_label");
      const rows = readRows(invocation).map((fields, line) => {
        if (fields.length !== inputKeys.length) {
          throw new ContainerError(`Line ${line + 1} has ${fields.length} fields but SAGEMAKER_INFERENCE_INPUT=${inputKeys.join(",")} names ${inputKeys.length}.`);
        }
        const row: AnswerRow = { predicted_label: Number.NaN, probability: Number.NaN, probabilities: Number.NaN, labels: processor.labels };
        inputKeys.forEach((key, i) => (row[key] = readField(key, fields[i]!, processor.labels, line)));
        return row;
      });
      return writeAnswer(rows, keys, invocation.accept);
    },
  };
}

function readField(key: InferenceKey, field: string, labels: readonly string[], line: number): AnswerRow[InferenceKey] {
  if (key === "probabilities") return parseProbabilities(field);
  if (key === "labels") return labels;
  const value = Number(field);
  if (key === "probability") {
    if (field.trim() === "" || !(value >= 0 && value <= 1)) throw new ContainerError(`Line ${line + 1}: probability "${field}" is not a number between 0 and 1.`);
    return value;
  }
  const label = Number.isInteger(value) && field.trim() !== "" ? labels[value] : undefined;
  if (label === undefined) throw new ContainerError(`Line ${line + 1}: predicted_label "${field}" is not a class index 0..${labels.length - 1} of this data processor.`);
  return label;
}

import { ArtifactError, loadArtifact, type AutoMLModel } from "../../../automl/index.ts";
import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { readObjectAs } from "../s3/service-access.ts";
import type { ModelRecord } from "./state.ts";

export const SAGEMAKER_PRINCIPAL = "sagemaker.amazonaws.com";
export const INFERENCE_KEYS = ["predicted_label", "probability", "probabilities", "labels"] as const;
export type InferenceKey = (typeof INFERENCE_KEYS)[number];

/** A model loaded behind an endpoint: the engine's model and the answer keys its container was configured with. */
export interface LoadedModel {
  model: AutoMLModel;
  outputKeys: InferenceKey[];
}

const loadedByStore = new WeakMap<Store, Map<string, LoadedModel>>();

export function loadedModels(store: Store): Map<string, LoadedModel> {
  let loaded = loadedByStore.get(store);
  if (!loaded) {
    loaded = new Map();
    loadedByStore.set(store, loaded);
  }
  return loaded;
}

/**
 * Loads a model's artifact from S3 as its execution role, the way a SageMaker endpoint pulls
 * ModelDataUrl; fails with a reason a user can act on when it cannot.
 */
export async function loadModel(store: Store, region: string, now: () => Date, record: ModelRecord): Promise<LoadedModel> {
  if (record.containers.length !== 1) {
    throw new AwsError("ModelLoadFailure", `Model ${record.ModelName} has ${record.containers.length} containers; the local AWS serves single-container models made by its Autopilot.`, 400);
  }
  const container = record.containers[0]!;
  if (!container.ModelDataUrl) throw new AwsError("ModelLoadFailure", `Model ${record.ModelName} has no ModelDataUrl to load.`, 400);
  const session = ServiceRoleSession.assume(store, { arn: record.ExecutionRoleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, region, now);
  let bytes: Buffer;
  try {
    bytes = await readObjectAs(store, session, container.ModelDataUrl);
  } catch (error) {
    if (error instanceof AwsError) {
      throw new AwsError("ModelLoadFailure", `Failed to download model data from ${container.ModelDataUrl} as ${record.ExecutionRoleArn}: ${error.code}: ${error.message}`, 400);
    }
    throw error;
  }
  let model: AutoMLModel;
  try {
    model = loadArtifact(bytes.toString("utf8"));
  } catch (error) {
    if (error instanceof ArtifactError || error instanceof SyntaxError) {
      throw new AwsError("ModelLoadFailure", `The model data at ${container.ModelDataUrl} is not a model artifact of the local Autopilot (image ${container.Image}): ${error.message}`, 400);
    }
    throw error;
  }
  return { model, outputKeys: outputKeys(container.Environment ?? {}, model) };
}

/** SAGEMAKER_INFERENCE_OUTPUT, checked against what the container supports and the problem type. */
export function outputKeys(environment: Record<string, string>, model: AutoMLModel): InferenceKey[] {
  const asked = (environment.SAGEMAKER_INFERENCE_OUTPUT ?? "predicted_label").split(",").map((key) => key.trim().toLowerCase()).filter(Boolean);
  const supported = model.artifact.problemType === "Regression" ? ["predicted_label"] : INFERENCE_KEYS;
  const unknown = asked.filter((key) => !supported.includes(key as InferenceKey));
  if (unknown.length > 0) {
    throw new AwsError("ModelLoadFailure", `SAGEMAKER_INFERENCE_OUTPUT asks for ${unknown.join(", ")}; this ${model.artifact.problemType} model answers ${supported.join(", ")}.`, 400);
  }
  return asked as InferenceKey[];
}

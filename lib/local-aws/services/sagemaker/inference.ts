import { ArtifactError, AutoMLInputError, loadAlgorithm, loadArtifact, parseStageArtifact, type StageArtifact } from "../../../automl/index.ts";
import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { readObjectAs } from "../s3/service-access.ts";
import { algorithmContainer, ensembleContainer, featureTransformContainer, inverseLabelContainer, type ServingContainer } from "./serving/containers.ts";
import { AUTOPILOT_REPOSITORIES, imageRole } from "./serving/images.ts";
import { ContainerError, type Answer, type Invocation } from "./serving/payload.ts";
import type { ContainerRecord, ModelRecord } from "./state.ts";

export const SAGEMAKER_PRINCIPAL = "sagemaker.amazonaws.com";

/** A model loaded behind an endpoint: its containers in order, an inference pipeline when more than one. */
export interface LoadedModel {
  containers: { hostname: string; serving: ServingContainer }[];
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

const loadFailure = (message: string) => new AwsError("ModelLoadFailure", message, 400);

/**
 * Loads each container's model data from S3 as the model's execution role, the way a SageMaker
 * endpoint pulls ModelDataUrl; fails with a reason a user can act on when it cannot.
 */
export async function loadModel(store: Store, region: string, now: () => Date, record: ModelRecord): Promise<LoadedModel> {
  const session = ServiceRoleSession.assume(store, { arn: record.ExecutionRoleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, region, now);
  const containers = [];
  for (const [i, container] of record.containers.entries()) {
    // SageMaker names a single container "primary" in its errors; pipeline containers by position.
    const hostname = record.containers.length === 1 ? "primary" : `container-${i + 1}`;
    containers.push({ hostname, serving: await loadContainer(store, session, record, container) });
  }
  return { containers };
}

async function loadContainer(store: Store, session: ServiceRoleSession, record: ModelRecord, container: ContainerRecord): Promise<ServingContainer> {
  const role = imageRole(container.Image);
  if (!role) {
    const images = Object.values(AUTOPILOT_REPOSITORIES).join(", ");
    throw loadFailure(`Model ${record.ModelName}: image ${container.Image} is not one the local AWS can run; it runs the images its Autopilot names in InferenceContainers (${images}).`);
  }
  if (!container.ModelDataUrl) throw loadFailure(`Model ${record.ModelName} has no ModelDataUrl for its container ${container.Image}.`);
  let bytes: Buffer;
  try {
    bytes = await readObjectAs(store, session, container.ModelDataUrl);
  } catch (error) {
    if (error instanceof AwsError) throw loadFailure(`Failed to download model data from ${container.ModelDataUrl} as ${record.ExecutionRoleArn}: ${error.code}: ${error.message}`);
    throw error;
  }
  const environment = container.Environment ?? {};
  try {
    if (role === "ensemble") return ensembleContainer(loadArtifact(bytes.toString("utf8")), environment);
    const stage = parseStageArtifact(bytes.toString("utf8"));
    if (role === "algorithm") return algorithmContainer(loadAlgorithm(expectStage(stage, "algorithm")), environment);
    const processor = expectStage(stage, "data-processor");
    const mode = environment.AUTOML_TRANSFORM_MODE;
    if (mode === "feature-transform") return featureTransformContainer(processor, environment);
    if (mode === "inverse-label-transform") return inverseLabelContainer(processor, environment);
    throw loadFailure(`Model ${record.ModelName}: the data processor ${container.Image} needs AUTOML_TRANSFORM_MODE feature-transform or inverse-label-transform in its Environment (it has ${mode ?? "none"}).`);
  } catch (error) {
    if (error instanceof AwsError) throw error;
    // Anything a model file can make loading throw (a malformed predictor included) is this model's fault, not the server's.
    throw loadFailure(`The model data at ${container.ModelDataUrl} is not a model of the local Autopilot's ${container.Image}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function expectStage<K extends StageArtifact["stage"]>(stage: StageArtifact, kind: K): Extract<StageArtifact, { stage: K }> {
  if (stage.stage !== kind) throw new ArtifactError(`it holds the ${stage.stage} stage, not the ${kind}`);
  return stage as Extract<StageArtifact, { stage: K }>;
}

/** The model's first container gets the request; each next one gets the previous answer; the last answers the caller. */
export function invokeModel(model: LoadedModel, request: Invocation): Answer {
  let invocation = request;
  for (const [i, { hostname, serving }] of model.containers.entries()) {
    const last = i === model.containers.length - 1;
    let answer: Answer;
    try {
      answer = serving.invoke({ ...invocation, accept: last ? request.accept || serving.defaultAccept : serving.defaultAccept });
    } catch (error) {
      if (error instanceof ContainerError || error instanceof AutoMLInputError) throw new ContainerFailure(hostname, error.message);
      throw error;
    }
    if (last) return answer;
    invocation = { body: answer.body, contentType: answer.contentType, accept: request.accept };
  }
  throw new Error("a model has at least one container");
}

/** A container's 400 answer, with the container that gave it. */
export class ContainerFailure extends Error {
  constructor(
    readonly hostname: string,
    message: string,
  ) {
    super(message);
  }
}

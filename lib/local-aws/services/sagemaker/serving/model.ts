import { ArtifactError, AutoMLInputError, loadAlgorithm, loadArtifact, parseStageArtifact, type StageArtifact } from "../../../../automl/index.ts";
import { AwsError } from "../../../errors.ts";
import type { ContainerRecord } from "../state.ts";
import { algorithmContainer, ensembleContainer, featureTransformContainer, inverseLabelContainer, type ServingContainer } from "./containers.ts";
import { imageRole } from "./images.ts";
import { ContainerError, type Answer, type Invocation } from "./payload.ts";

/*
 * A model's containers loaded from their model data and invoked in order: no S3 or IAM here, so
 * a transform job's worker thread loads and runs models with what it imports from this module.
 */

export const loadFailure = (message: string) => new AwsError("ModelLoadFailure", message, 400);

/** A model loaded behind an endpoint: its containers in order, an inference pipeline when more than one. */
export interface LoadedModel {
  containers: { hostname: string; serving: ServingContainer }[];
}

/** A container's model data as read from S3, before it is loaded (what a transform job's worker thread loads from). */
export interface ContainerData {
  hostname: string;
  container: ContainerRecord;
  data: string;
}

/** The containers loaded from their model data, in order. */
export function buildModel(modelName: string, containers: readonly ContainerData[]): LoadedModel {
  return { containers: containers.map(({ hostname, container, data }) => ({ hostname, serving: loadContainer(modelName, container, data) })) };
}

function loadContainer(modelName: string, container: ContainerRecord, data: string): ServingContainer {
  const role = imageRole(container.Image);
  const environment = container.Environment ?? {};
  try {
    if (role === "ensemble") return ensembleContainer(loadArtifact(data), environment);
    const stage = parseStageArtifact(data);
    if (role === "algorithm") return algorithmContainer(loadAlgorithm(expectStage(stage, "algorithm")), environment);
    const processor = expectStage(stage, "data-processor");
    const mode = environment.AUTOML_TRANSFORM_MODE;
    if (mode === "feature-transform") return featureTransformContainer(processor, environment);
    if (mode === "inverse-label-transform") return inverseLabelContainer(processor, environment);
    throw loadFailure(`Model ${modelName}: the data processor ${container.Image} needs AUTOML_TRANSFORM_MODE feature-transform or inverse-label-transform in its Environment (it has ${mode ?? "none"}).`);
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

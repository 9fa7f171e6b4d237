import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  waitUntilEndpointInService,
  type AutoMLCandidate,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { withInferenceKeys } from "./inference-keys.ts";
import type { HostingNames } from "./names.ts";

/**
 * What the endpoint answers per row for a classification problem. Not `probability`: its meaning
 * depends on the job's mode (the predicted label's probability in ENSEMBLING mode, the true
 * class's in HPO mode for binary problems), while `probabilities` in `labels` order means the same
 * in both. A regression model answers its default, `predicted_label`.
 */
export const CLASSIFICATION_KEYS = ["predicted_label", "probabilities", "labels"];

/** The keys the flow asks a candidate's containers for: CLASSIFICATION_KEYS, or a regression's default `predicted_label`. */
export function inferenceKeysFor(problemType: string): string[] {
  return problemType === "Regression" ? [] : CLASSIFICATION_KEYS;
}

export interface CandidateModel {
  model: string;
  /** The job's (resolved) problem type. */
  problemType: string;
  roleArn: string;
}

/**
 * CreateModel of the candidate's containers with the flow's inference keys, as the SageMaker Python
 * SDK's `AutoML.create_model(inference_response_keys=...)` makes it: the model an endpoint serves and
 * a transform job runs (the keys are the model's, so both answer the same fields; AWS developer guide,
 * "Configure inference output in generated containers",
 * https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-automate-model-development-container-output.html).
 */
export async function createCandidateModel(sagemaker: SageMakerClient, candidate: AutoMLCandidate, spec: CandidateModel): Promise<void> {
  if (!candidate.InferenceContainers?.length) throw new Error(`candidate ${candidate.CandidateName} has no inference containers`);
  const containers = withInferenceKeys(candidate.InferenceContainers, inferenceKeysFor(spec.problemType));
  await sagemaker.send(new CreateModelCommand({ ModelName: spec.model, Containers: containers, ExecutionRoleArn: spec.roleArn }));
}

export interface DeployOptions {
  names: HostingNames;
  /** The job's (resolved) problem type. */
  problemType: string;
  roleArn: string;
  instanceType: string;
  maxWaitSeconds: number;
  signal?: AbortSignal;
}

export async function deployCandidate(sagemaker: SageMakerClient, candidate: AutoMLCandidate, options: DeployOptions): Promise<void> {
  const { names } = options;
  await createCandidateModel(sagemaker, candidate, { model: names.model, problemType: options.problemType, roleArn: options.roleArn });
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: names.endpointConfig,
      ProductionVariants: [{ VariantName: "AllTraffic", ModelName: names.model, InitialInstanceCount: 1, InstanceType: options.instanceType as never }],
    }),
  );
  await sagemaker.send(new CreateEndpointCommand({ EndpointName: names.endpoint, EndpointConfigName: names.endpointConfig }));
  await waitForEndpoint(sagemaker, names.endpoint, options.maxWaitSeconds, options.signal);
}

/** Waits for InService; also how a notebook reconnects to an endpoint by name. */
export async function waitForEndpoint(sagemaker: SageMakerClient, endpoint: string, maxWaitSeconds: number, signal?: AbortSignal): Promise<void> {
  try {
    await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 30, maxWaitTime: maxWaitSeconds, abortSignal: signal }, { EndpointName: endpoint });
  } catch (error) {
    signal?.throwIfAborted();
    const described = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
    throw new Error(`endpoint ${endpoint} is ${described.EndpointStatus}${described.FailureReason ? `: ${described.FailureReason}` : ""}`, { cause: error });
  }
}

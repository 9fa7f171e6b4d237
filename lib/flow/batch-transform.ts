import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  StopTransformJobCommand,
  type CreateTransformJobCommandInput,
  type DescribeTransformJobCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { setTimeout as sleep } from "node:timers/promises";

// A batch transform job on an Autopilot candidate's model, as AWS's "Run batch inference jobs"
// (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-deploy-models-batch.html) and the
// CreateTransformJob reference (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html) describe it.

export interface TransformJobSpec {
  name: string;
  model: string;
  /** The S3 prefix of the CSV rows to score: features only, no header, no target. */
  inputUri: string;
  /** Where `<input object name>.out` is written. */
  outputUri: string;
  instanceType: string;
}

/**
 * CreateTransformJob's request: CSV in, one record per line (`SplitType Line`), CSV out, a line per
 * record (`AssembleWith Line`), as AWS's Autopilot batch page asks; and each output line joined to
 * its input row (`JoinSource Input`: the row's fields, then the model's answer), so that the output
 * says by itself which row each answer is for
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html).
 * The answer's fields are the model's SAGEMAKER_INFERENCE_OUTPUT keys, set on the model's containers
 * (`createCandidateModel`), as the SageMaker Python SDK's `create_model(inference_response_keys=...)`
 * does before `transformer(...)`; not the job's `Environment`, which would set them on every
 * container of an inference pipeline alike.
 */
export function transformJobRequest(spec: TransformJobSpec): CreateTransformJobCommandInput {
  return {
    TransformJobName: spec.name,
    ModelName: spec.model,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: spec.inputUri } }, ContentType: "text/csv", SplitType: "Line" },
    TransformOutput: { S3OutputPath: spec.outputUri, Accept: "text/csv", AssembleWith: "Line" },
    TransformResources: { InstanceType: spec.instanceType as never, InstanceCount: 1 },
    DataProcessing: { JoinSource: "Input" },
  };
}

export async function createTransformJob(sagemaker: SageMakerClient, spec: TransformJobSpec): Promise<string> {
  const { TransformJobArn } = await sagemaker.send(new CreateTransformJobCommand(transformJobRequest(spec)));
  return TransformJobArn ?? "";
}

/** The statuses of a transform job that has ended. */
const ENDED = new Set(["Completed", "Failed", "Stopped"]);

export const transformJobEnded = (status: string | undefined): boolean => ENDED.has(status ?? "");

export interface TransformProgress {
  status: string;
  elapsedSeconds: number;
}

/** Polls DescribeTransformJob until the job ends, reporting each change of status; aborting `signal` stops the wait (not the job). */
export async function waitForTransformJob(
  sagemaker: SageMakerClient,
  name: string,
  onProgress: (progress: TransformProgress) => void = () => {},
  pollMs = 5000,
  signal?: AbortSignal,
): Promise<DescribeTransformJobCommandOutput> {
  let last = "";
  for (;;) {
    signal?.throwIfAborted();
    const job = await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    const status = job.TransformJobStatus ?? "?";
    if (status !== last) onProgress({ status, elapsedSeconds: Math.round((Date.now() - (job.CreationTime?.getTime() ?? Date.now())) / 1000) });
    last = status;
    if (transformJobEnded(status)) return job;
    await sleep(pollMs, undefined, signal && { signal });
  }
}

/**
 * Stops a transform job still running and waits until it has stopped. Returns the status it found:
 * InProgress or Stopping (it is Stopped now), or the one it had ended with (left as it is).
 */
export async function stopTransformJob(sagemaker: SageMakerClient, name: string, pollMs = 1000): Promise<string> {
  const { TransformJobStatus = "?" } = await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
  if (transformJobEnded(TransformJobStatus)) return TransformJobStatus;
  if (TransformJobStatus === "InProgress") await sagemaker.send(new StopTransformJobCommand({ TransformJobName: name }));
  await waitForTransformJob(sagemaker, name, () => {}, pollMs);
  return TransformJobStatus;
}

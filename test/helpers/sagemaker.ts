import { DescribeAutoMLJobCommand, SageMakerClient, type DescribeAutoMLJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import type { Credentials, TestAws } from "./local-aws.ts";

export function sagemakerFor(aws: TestAws, credentials: Credentials) {
  const common = { endpoint: aws.endpoint, region: aws.region, credentials, maxAttempts: 1 };
  return { sagemaker: new SageMakerClient(common), runtime: new SageMakerRuntimeClient(common) };
}

/** Polls DescribeAutoMLJob until the job leaves InProgress/Stopping, recording the statuses seen. */
export async function waitForJob(client: SageMakerClient, name: string, timeoutMs = 120_000): Promise<{ job: DescribeAutoMLJobCommandOutput; seen: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    const job = await client.send(new DescribeAutoMLJobCommand({ AutoMLJobName: name }));
    const status = `${job.AutoMLJobStatus}/${job.AutoMLJobSecondaryStatus}`;
    if (seen.at(-1) !== status) seen.push(status);
    if (job.AutoMLJobStatus !== "InProgress" && job.AutoMLJobStatus !== "Stopping") return { job, seen };
    if (Date.now() > deadline) throw new Error(`job ${name} still ${status} after ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

export { withInferenceKeys as sdkStyleContainers, type InferenceContainer } from "../../lib/flow/inference-keys.ts";

import { DescribeAutoMLJobCommand, DescribeTransformJobCommand, SageMakerClient, type DescribeAutoMLJobCommandOutput, type DescribeTransformJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreateRoleCommand } from "@aws-sdk/client-iam";
import { clientsFor, type Credentials, type TestAws } from "./local-aws.ts";

export function sagemakerFor(aws: TestAws, credentials: Credentials) {
  const common = { endpoint: aws.endpoint, region: aws.region, credentials, maxAttempts: 1 };
  return { sagemaker: new SageMakerClient(common), runtime: new SageMakerRuntimeClient(common) };
}

/** Gives the customer's configuration user SageMaker and S3 rights, and makes an execution role SageMaker may assume; its ARN. */
export async function autopilotUserAndRole(aws: TestAws, roleName: string): Promise<string> {
  const iam = clientsFor(aws, aws.customer).iam;
  for (const policy of ["AmazonSageMakerFullAccess", "AmazonS3FullAccess"]) {
    await iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
  }
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" }));
  return Role!.Arn!;
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

/** Polls DescribeTransformJob until the job leaves InProgress/Stopping. */
export async function waitForTransformJob(client: SageMakerClient, name: string, timeoutMs = 120_000): Promise<DescribeTransformJobCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    if (job.TransformJobStatus !== "InProgress" && job.TransformJobStatus !== "Stopping") return job;
    if (Date.now() > deadline) throw new Error(`transform job ${name} still ${job.TransformJobStatus} after ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

export { withInferenceKeys as sdkStyleContainers, type InferenceContainer } from "../../lib/flow/inference-keys.ts";

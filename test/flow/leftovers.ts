import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, GetGroupCommand, GetRoleCommand, GetUserCommand, ListPoliciesCommand, type IAMClient } from "@aws-sdk/client-iam";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListAutoMLJobsCommand, ListEndpointConfigsCommand, ListEndpointsCommand, ListModelsCommand, ListTransformJobsCommand } from "@aws-sdk/client-sagemaker";
import { isGone } from "../../lib/flow/aws-errors.ts";
import type { FlowNames } from "../../lib/flow/names.ts";
import { clientsFor, profileCredentials, type Target } from "../../lib/flow/sessions.ts";

async function exists(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
}

async function remainingIam(iam: IAMClient, names: FlowNames): Promise<string[]> {
  const found: string[] = [];
  for (const role of [names.role, names.executionRole]) {
    if (await exists(() => iam.send(new GetRoleCommand({ RoleName: role })))) found.push(`role ${role}`);
  }
  if (await exists(() => iam.send(new GetUserCommand({ UserName: names.user })))) found.push(`user ${names.user}`);
  if (await exists(() => iam.send(new GetGroupCommand({ GroupName: names.group })))) found.push(`group ${names.group}`);
  const { Policies = [] } = await iam.send(new ListPoliciesCommand({ Scope: "Local" }));
  found.push(...Policies.map((policy) => `policy ${policy.PolicyName}`));
  return found;
}

/** An extra user per account that may look at S3 and SageMaker (made after the IAM check, so it is not counted). */
async function inspector(target: Target, profile: string, name: string) {
  const { iam } = clientsFor(target, profileCredentials(target, profile));
  await iam.send(new CreateUserCommand({ UserName: name }));
  for (const policy of ["AmazonS3FullAccess", "AmazonSageMakerFullAccess"]) {
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
  }
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return clientsFor(target, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
}

/** Everything of a run still in either account: IAM entities, buckets, running jobs and transform jobs, models and hosting. Empty when cleanup did its job. */
export async function leftovers(target: Target, names: FlowNames, inspectorName: string): Promise<string[]> {
  const found: string[] = [];
  for (const profile of [names.customerProfile, names.saasProfile]) {
    found.push(...(await remainingIam(clientsFor(target, profileCredentials(target, profile)).iam, names)).map((what) => `${profile}: ${what}`));
  }
  for (const profile of [names.customerProfile, names.saasProfile]) {
    const { s3, sagemaker } = await inspector(target, profile, inspectorName);
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    found.push(...Buckets.map((bucket) => `${profile}: bucket ${bucket.Name}`));
    const { Endpoints = [] } = await sagemaker.send(new ListEndpointsCommand({}));
    const { EndpointConfigs = [] } = await sagemaker.send(new ListEndpointConfigsCommand({}));
    const { Models = [] } = await sagemaker.send(new ListModelsCommand({}));
    const running = [];
    const transforms = [];
    for (const status of ["InProgress", "Stopping"] as const) {
      running.push(...((await sagemaker.send(new ListAutoMLJobsCommand({ StatusEquals: status }))).AutoMLJobSummaries ?? []));
      transforms.push(...((await sagemaker.send(new ListTransformJobsCommand({ StatusEquals: status }))).TransformJobSummaries ?? []));
    }
    found.push(
      ...running.map((job) => `${profile}: ${job.AutoMLJobStatus} job ${job.AutoMLJobName}`),
      ...transforms.map((job) => `${profile}: ${job.TransformJobStatus} transform job ${job.TransformJobName}`),
      ...Endpoints.map((e) => `${profile}: endpoint ${e.EndpointName}`),
      ...EndpointConfigs.map((c) => `${profile}: endpoint config ${c.EndpointConfigName}`),
      ...Models.map((m) => `${profile}: model ${m.ModelName}`),
    );
  }
  return found;
}

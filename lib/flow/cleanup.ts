import { rmSync } from "node:fs";
import type { S3Client } from "@aws-sdk/client-s3";
import { stopJob } from "./automl-job.ts";
import { ignoringGone } from "./aws-errors.ts";
import { removeProfile } from "./credentials-file.ts";
import { tearDownCustomerIam } from "./customer-iam.ts";
import { deleteHosting } from "./deploy.ts";
import type { FlowContext } from "./flow-context.ts";
import { revokeRoleAccess } from "./s3-transfer.ts";
import { deleteBucketIfEmpty, deleteKeys, deletePrefix } from "./s3-cleanup.ts";
import { tearDownSaasIam } from "./saas-iam.ts";

async function deleteBucketOrSay(context: FlowContext, s3: S3Client, bucket: string): Promise<void> {
  if (!(await deleteBucketIfEmpty(s3, bucket))) context.settings.log(`  kept bucket ${bucket}: it holds objects this run did not put there`);
}

/** The customer's side, as the role: the job, hosting, the job's artifacts, the data set, the bucket if this run made it. */
async function cleanUpCustomerResources(context: FlowContext): Promise<void> {
  const state = context.state.read();
  const jobs = [...(state.earlierJobs ?? []), ...(state.jobName ? [{ jobName: state.jobName, outputPrefix: state.outputPrefix }] : [])];
  const hosting = [...(state.earlierHosting ?? []), state];
  const nothingThere = !jobs.length && !hosting.some((h) => h.endpoint || h.model) && !state.customerKeys?.length && !state.createdCustomerBucket;
  if (nothingThere) return;
  const { sagemaker, s3 } = await context.asRole();
  for (const { jobName } of jobs) await ignoringGone(() => stopJob(sagemaker, jobName, context.settings.jobPollMs));
  for (const names of hosting) await deleteHosting(sagemaker, names, context.settings.endpointWaitSeconds);
  context.state.update({ model: undefined, endpointConfig: undefined, endpoint: undefined, earlierHosting: undefined });
  if (state.customerBucket) {
    for (const { outputPrefix } of jobs) if (outputPrefix) await deletePrefix(s3, state.customerBucket, outputPrefix);
    await deleteKeys(s3, state.customerBucket, state.customerKeys ?? []);
    if (state.createdCustomerBucket) await deleteBucketOrSay(context, s3, state.customerBucket);
  }
  context.state.update({ jobName: undefined, outputPrefix: undefined, earlierJobs: undefined, customerKeys: undefined, createdCustomerBucket: undefined });
}

/** The SaaS side, as its user: the bucket policy, the uploaded data set and the bucket. */
async function cleanUpSaasResources(context: FlowContext): Promise<void> {
  const { saasBucket, saasKeys } = context.state.read();
  if (!saasBucket) return;
  const { s3 } = await context.saasUser();
  await ignoringGone(() => revokeRoleAccess(s3, saasBucket));
  await deleteKeys(s3, saasBucket, saasKeys ?? []);
  await deleteBucketOrSay(context, s3, saasBucket);
  context.state.update({ saasBucket: undefined, saasKeys: undefined, saasBucketPolicy: undefined });
}

/**
 * Removes what the run created, in reverse order, driven by the run-state file; anything already
 * gone is skipped. IAM goes last, and only once the resources it gives access to are gone, so a
 * failed cleanup can be run again.
 */
export async function cleanUp(context: FlowContext): Promise<void> {
  const { names, settings } = context;
  await cleanUpCustomerResources(context);
  await cleanUpSaasResources(context);
  const accounts = await context.accounts();
  await tearDownSaasIam(context.saasConfig().iam, names, accounts.saas, () => removeProfile(settings.target.credentialsFile, names.userProfile));
  await tearDownCustomerIam(context.customerConfig().iam, names, accounts.customer);
  rmSync(context.dataDir, { recursive: true, force: true });
  rmSync(context.state.path, { force: true });
  settings.log("  removed hosting, job artifacts, data, buckets the run made, IAM in both accounts, the profile and the run state");
}

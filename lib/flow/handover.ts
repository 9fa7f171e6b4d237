import { readFileSync } from "node:fs";
import { dataFiles } from "./data-set.ts";
import type { FlowContext } from "./flow-context.ts";
import { copyAcrossAccounts, ensureBucket, grantRoleAccess, putCsv, revokeRoleAccess, type DataPath } from "./s3-transfer.ts";

/** A CSV file the provider hands to a SageMaker job in the customer's account. */
export interface Handover {
  /** Its key, the same in the SaaS bucket and the customer's. */
  key: string;
  csv: string;
  /** Records a key in the run state before the object is written there, so that cleanup finds it after a crash. */
  record: (bucket: "customer" | "saas", key: string) => void;
}

/**
 * Puts a CSV file where a SageMaker job will read it, one of the blog's three ways: uploaded by the
 * role into the customer's bucket (local), copied from the SaaS bucket into it under a bucket policy
 * that lasts only for the copy (copy), or read by the job, as the execution role, straight from the
 * SaaS bucket under a bucket policy that stays until `withdrawDirectGrant` (direct). Makes the
 * customer's bucket if it is missing either way: the job writes its output there. Returns the S3
 * prefix (the key's folder) the job reads.
 */
export async function handOver(context: FlowContext, dataPath: DataPath, handover: Handover): Promise<string> {
  const { key, csv, record } = handover;
  const { region } = context.settings.target;
  const folder = key.slice(0, key.lastIndexOf("/") + 1);
  const role = await context.asRole();
  const customerBucket = await context.customerBucket();
  context.state.update({ customerBucket });
  if (await ensureBucket(role.s3, customerBucket, region)) context.state.update({ createdCustomerBucket: true });
  if (dataPath === "local") {
    record("customer", key);
    await putCsv(role.s3, customerBucket, key, csv);
    return `s3://${customerBucket}/${folder}`;
  }
  const user = await context.saasUser();
  const saasBucket = await context.saasBucket();
  context.state.update({ saasBucket });
  record("saas", key);
  await ensureBucket(user.s3, saasBucket, region);
  await putCsv(user.s3, saasBucket, key, csv);
  if (dataPath === "copy") {
    record("customer", key);
    // The copy runs as the cross-account role.
    await copyAcrossAccounts(user.s3, role.s3, { saasBucket, key, roleArn: await context.roleArn() }, { bucket: customerBucket, key });
    return `s3://${customerBucket}/${folder}`;
  }
  // A direct reference is read by the job, as the execution role.
  context.state.update({ saasBucketPolicy: true });
  await grantRoleAccess(user.s3, { saasBucket, key, roleArn: await context.executionRoleArn() }, true);
  return `s3://${saasBucket}/${folder}`;
}

/** Ends the direct path's grant, once the job that read the SaaS bucket has ended (a no-op on the other paths). */
export async function withdrawDirectGrant(context: FlowContext): Promise<void> {
  const { saasBucketPolicy, saasBucket } = context.state.read();
  if (!saasBucketPolicy || !saasBucket) return;
  await revokeRoleAccess((await context.saasUser()).s3, saasBucket);
  context.state.update({ saasBucketPolicy: false });
}

/** The training data, handed over for the Autopilot job (`handOver`), its prefix recorded as the run's `inputUri`. */
export async function handOverTrainingData(context: FlowContext, dataPath: DataPath): Promise<void> {
  const handover: Handover = {
    key: `${context.names.prefix}/train/train_data.csv`,
    csv: readFileSync(dataFiles(context.dataDir).train, "utf8"),
    record: (bucket, key) => context.state.addKeys(bucket === "customer" ? "customerKeys" : "saasKeys", [key]),
  };
  const inputUri = await handOver(context, dataPath, handover);
  context.state.update({ inputUri });
  context.settings.log(`  training data (${dataPath} path) at ${inputUri}`);
}

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { isGone } from "./aws-errors.ts";
import { bucketGrantPolicy } from "./policies.ts";

/** How the training data reaches the job, and the batch step's test rows its transform job (the blog's three ways). */
export const DATA_PATHS = ["local", "copy", "direct"] as const;
export type DataPath = (typeof DATA_PATHS)[number];

/**
 * Creates the bucket unless it exists; true when this call created it. HeadBucket first, because
 * in us-east-1 CreateBucket on a bucket one already owns succeeds as if it had created it.
 */
export async function ensureBucket(s3: S3Client, bucket: string, region: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  const location = region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } };
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ...location }));
  return true;
}

export async function putCsv(s3: S3Client, bucket: string, key: string, csv: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: csv, ContentType: "text/csv" }));
}

export async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new Error(`s3://${bucket}/${key} answered without a body`);
  return Body.transformToString("utf8");
}

export interface CrossAccountObject {
  saasBucket: string;
  key: string;
  roleArn: string;
}

/** Grants the customer's role read access to the SaaS bucket's objects under the key's prefix, listing too when `list`. */
export async function grantRoleAccess(saasS3: S3Client, object: CrossAccountObject, list: boolean): Promise<void> {
  const prefix = object.key.slice(0, object.key.lastIndexOf("/") + 1);
  await saasS3.send(new PutBucketPolicyCommand({ Bucket: object.saasBucket, Policy: JSON.stringify(bucketGrantPolicy(object.saasBucket, object.roleArn, prefix, list)) }));
}

export async function revokeRoleAccess(saasS3: S3Client, saasBucket: string): Promise<void> {
  await saasS3.send(new DeleteBucketPolicyCommand({ Bucket: saasBucket }));
}

/** The role copies the SaaS object into the customer's bucket under a bucket policy that lasts only for the copy. */
export async function copyAcrossAccounts(saasS3: S3Client, roleS3: S3Client, object: CrossAccountObject, destination: { bucket: string; key: string }): Promise<void> {
  await grantRoleAccess(saasS3, object, false);
  try {
    await roleS3.send(new CopyObjectCommand({ Bucket: destination.bucket, Key: destination.key, CopySource: `${object.saasBucket}/${encodeURIComponent(object.key).replace(/%2F/g, "/")}` }));
  } finally {
    await revokeRoleAccess(saasS3, object.saasBucket);
  }
}

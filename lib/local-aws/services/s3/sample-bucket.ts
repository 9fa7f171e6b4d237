import { createReadStream, existsSync } from "node:fs";
import type { Store } from "../../store/store.ts";
import { addBucket, findBucket, setBucketPolicy } from "./buckets-state.ts";
import { objectStore } from "./object-store.ts";

export const SAMPLE_BUCKET = "sagemaker-sample-files";
export const SAMPLE_KEY = "datasets/tabular/synthetic/churn.txt";
/** Owner of the public sample bucket: an AWS-like account of its own, neither customer nor SaaS. */
export const SAMPLE_FILES_ACCOUNT_ID = "999999999999";

const publicReadPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "PublicRead",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [`arn:aws:s3:::${SAMPLE_BUCKET}`, `arn:aws:s3:::${SAMPLE_BUCKET}/*`],
    },
  ],
});

/**
 * The public-read `sagemaker-sample-files` bucket holding the churn data set, as the blog
 * downloads it. Idempotent: the object is rewritten only when the local file changed.
 */
export async function ensureSampleBucket(store: Store, dataFile: string, now: Date): Promise<void> {
  if (!existsSync(dataFile)) throw new Error(`the sample data set ${dataFile} is missing: run "npx tsx data/generate-churn.ts" to create it`);
  let bucket = findBucket(store, SAMPLE_BUCKET);
  if (!bucket) {
    bucket = { name: SAMPLE_BUCKET, ownerAccount: SAMPLE_FILES_ACCOUNT_ID, region: "us-east-1", createdAt: now.toISOString() };
    addBucket(store, bucket);
  }
  if (bucket.policy !== publicReadPolicy) setBucketPolicy(store, bucket, publicReadPolicy);

  const objects = objectStore(store);
  const written = await objects.writeBlob(SAMPLE_BUCKET, createReadStream(dataFile), [], Number.POSITIVE_INFINITY);
  const etag = `"${written.md5.toString("hex")}"`;
  if (objects.get(SAMPLE_BUCKET, SAMPLE_KEY)?.etag === etag) {
    objects.discardBlob(SAMPLE_BUCKET, written.blob);
    return;
  }
  objects.commit(SAMPLE_BUCKET, {
    key: SAMPLE_KEY,
    blob: written.blob,
    size: written.size,
    etag,
    lastModified: now.toISOString(),
    contentType: "text/plain",
    metadata: {},
  });
}

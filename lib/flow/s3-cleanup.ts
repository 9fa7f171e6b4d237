import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { ignoringGone } from "./aws-errors.ts";

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

export async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const objects = keys.slice(start, start + DELETE_BATCH).map((Key) => ({ Key }));
    await ignoringGone(async () => {
      const { Errors = [] } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      if (Errors.length > 0) throw new Error(`could not delete ${Errors.length} object(s) in ${bucket}: ${Errors.map((e) => `${e.Key} (${e.Code})`).join(", ")}`);
    });
  }
}

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** Deletes every object under the prefix; a missing bucket means nothing to delete. */
export async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  await ignoringGone(async () => deleteKeys(s3, bucket, await listKeys(s3, bucket, prefix)));
}

/** Deletes an empty bucket; false (and the bucket kept) when it holds objects someone else put there. */
export async function deleteBucketIfEmpty(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await ignoringGone(() => s3.send(new DeleteBucketCommand({ Bucket: bucket })));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === "BucketNotEmpty") return false;
    throw error;
  }
}

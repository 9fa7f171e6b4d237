import { DeleteBucketCommand, DeleteBucketPolicyCommand, DeleteObjectsCommand, GetBucketPolicyCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { removing, type CleanupAction, type Removal } from "./cleanup-report.ts";

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

async function deleteKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const objects = keys.slice(start, start + DELETE_BATCH).map((Key) => ({ Key }));
    const { Errors = [] } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (Errors.length > 0) throw new Error(`could not delete ${Errors.length} object(s) in ${bucket}: ${Errors.map((e) => `${e.Key} (${e.Code})`).join(", ")}`);
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

function commonPrefix(keys: readonly string[]): string {
  let prefix = keys[0] ?? "";
  for (const key of keys) while (!key.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Deletes those of `keys` still in the bucket (DeleteObjects alone cannot tell: it succeeds on missing keys). */
export async function deleteExistingKeys(s3: S3Client, bucket: string, keys: readonly string[]): Promise<Removal> {
  const wanted = new Set(keys);
  const present = (await listKeys(s3, bucket, commonPrefix(keys))).filter((key) => wanted.has(key));
  if (present.length === 0) return "already gone";
  await deleteKeys(s3, bucket, present);
  return "removed";
}

/** Every object under the prefix (ListObjectsV2, then DeleteObjects), or "already gone" when there is none. */
export async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<Removal> {
  const keys = await listKeys(s3, bucket, prefix);
  if (keys.length === 0) return "already gone";
  await deleteKeys(s3, bucket, keys);
  return "removed";
}

/** Every object under the prefix. */
export function prefixRemoval(s3: S3Client, bucket: string, prefix: string, what: string): CleanupAction {
  return { what: `${what} (s3://${bucket}/${prefix})`, run: () => deletePrefix(s3, bucket, prefix) };
}

/** The objects this run put in the bucket, by key. */
export function keysRemoval(s3: S3Client, bucket: string, keys: readonly string[], what: string): CleanupAction {
  return { what: `${what} (${keys.length} object(s) in s3://${bucket})`, run: () => deleteExistingKeys(s3, bucket, keys) };
}

/**
 * The bucket, once the run's objects are out of it. Still holding objects, it is kept when the
 * run's own objects are gone (someone else's are in it), and a failure when they are not.
 */
export function bucketRemoval(s3: S3Client, bucket: string, runObjectsGone: boolean): CleanupAction {
  return {
    what: `bucket ${bucket}`,
    run: async () => {
      try {
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
        return "removed";
      } catch (error) {
        if ((error as { name?: string }).name !== "BucketNotEmpty") throw error;
        if (runObjectsGone) return { kept: "it holds objects this run did not put there" };
        throw new Error("it still holds objects of this run that could not be deleted (see above)", { cause: error });
      }
    },
  };
}

/** A bucket policy the run left (the direct path's grant, or the copy's if the run died during the copy). */
export function bucketPolicyRemoval(s3: S3Client, bucket: string): CleanupAction {
  // GetBucketPolicy first: DeleteBucketPolicy succeeds on a bucket without one, so it cannot say "already gone".
  return {
    what: `bucket policy of ${bucket}`,
    run: removing(async () => {
      await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    }),
  };
}

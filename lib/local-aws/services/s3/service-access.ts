import { Readable } from "node:stream";
import { AwsError } from "../../errors.ts";
import type { AuthorizationCheck } from "../../service.ts";
import type { Store } from "../../store/store.ts";
import { findBucket, type BucketRecord } from "./buckets-state.ts";
import { objectStore, type ObjectRecord } from "./object-store.ts";
import { s3Check } from "./request.ts";

/** Who acts: anything that can authorize a check (a service acting as a customer's role). */
export interface Actor {
  authorize(check: AuthorizationCheck): void;
}

/** s3://bucket/key → bucket and key (or prefix). */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new AwsError("ValidationException", `"${uri}" is not an S3 URI like s3://bucket/prefix.`, 400);
  return { bucket: match[1]!, key: match[2]! };
}

function existing(store: Store, name: string): BucketRecord {
  const bucket = findBucket(store, name);
  if (!bucket) throw new AwsError("NoSuchBucket", `The bucket ${name} does not exist`, 404);
  return bucket;
}

/** The objects under an S3 prefix, as SageMaker lists and reads them for a job (s3:ListBucket, s3:GetObject). */
export function objectsUnder(store: Store, actor: Actor, uri: string): { bucket: string; objects: ObjectRecord[] } {
  const { bucket: name, key: prefix } = parseS3Uri(uri);
  const bucket = existing(store, name);
  actor.authorize(s3Check("s3:ListBucket", bucket, undefined, { "s3:prefix": prefix }));
  const objects = [...objectStore(store).objects(name).values()]
    .filter((record) => record.key.startsWith(prefix) && !record.key.endsWith("/"))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const record of objects) actor.authorize(s3Check("s3:GetObject", bucket, record.key));
  return { bucket: name, objects };
}

/** The object at `uri`, which `actor` may read (s3:GetObject). */
export function objectAs(store: Store, actor: Actor, uri: string): { bucket: string; object: ObjectRecord } {
  const { bucket: name, key } = parseS3Uri(uri);
  const bucket = existing(store, name);
  actor.authorize(s3Check("s3:GetObject", bucket, key));
  const object = objectStore(store).get(name, key);
  if (!object) throw new AwsError("NoSuchKey", `s3://${name}/${key} does not exist.`, 404);
  return { bucket: name, object };
}

export async function readObjectAs(store: Store, actor: Actor, uri: string): Promise<Buffer> {
  const { bucket, object } = objectAs(store, actor, uri);
  return readWhole(store, bucket, object);
}

export async function readWhole(store: Store, bucket: string, record: ObjectRecord): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of objectStore(store).read(bucket, record)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes an object as `actor` (s3:PutObject), the way a service writes its outputs. */
export async function writeObjectAs(store: Store, actor: Actor, uri: string, body: Buffer, contentType: string, now: Date): Promise<void> {
  return writeObjectStreamAs(store, actor, uri, Readable.from([body]), contentType, () => now);
}

/**
 * Streams `body` into an object as `actor`: the permission is checked before anything is written
 * (an error thrown at once), and the object appears only once the body has ended; a body that
 * fails (destroyed with an error) leaves no object behind.
 */
export function writeObjectStreamAs(store: Store, actor: Actor, uri: string, body: Readable, contentType: string, now: () => Date): Promise<void> {
  const { bucket: name, key } = parseS3Uri(uri);
  const bucket = existing(store, name);
  actor.authorize(s3Check("s3:PutObject", bucket, key));
  const objects = objectStore(store);
  return objects.writeBlob(name, body, [], Number.POSITIVE_INFINITY).then((written) =>
    objects.commit(name, {
      key,
      blob: written.blob,
      size: written.size,
      etag: `"${written.md5.toString("hex")}"`,
      lastModified: now().toISOString(),
      contentType,
      metadata: {},
    }),
  );
}

import { AwsError } from "../../errors.ts";
import type { Operation, OperationContext } from "../../service.ts";
import type { BucketRecord } from "./buckets-state.ts";
import { requireBucket } from "./buckets-state.ts";
import { MAX_SINGLE_UPLOAD_BYTES, receiveBody } from "./body-upload.ts";
import { checkKey } from "./names.ts";
import { byteRange, objectHeaders } from "./object-headers.ts";
import { objectStore, type ObjectRecord } from "./object-store.ts";
import { checksumHeader } from "./checksums.ts";
import { authorizeS3, existingBucket, header, mayS3, objectKey, s3Request, userMetadata, type S3Request } from "./request.ts";

const DEFAULT_CONTENT_TYPE = "binary/octet-stream";

const putObject: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const bucket = existingBucket(ctx, request);
  const key = objectKey(request);
  authorizeS3(ctx, "s3:PutObject", bucket, key);
  const declaredLength = Number(header(request, "x-amz-decoded-content-length") ?? header(request, "content-length") ?? 0);
  if (declaredLength > MAX_SINGLE_UPLOAD_BYTES) {
    throw new AwsError("EntityTooLarge", `Your proposed upload exceeds the maximum allowed size of ${MAX_SINGLE_UPLOAD_BYTES} bytes; use a multipart upload.`, 400);
  }
  const objects = objectStore(ctx.store);
  const { written, checksum } = await receiveBody(objects, bucket.name, request, MAX_SINGLE_UPLOAD_BYTES);
  const record: ObjectRecord = {
    key,
    blob: written.blob,
    size: written.size,
    etag: `"${written.md5.toString("hex")}"`,
    lastModified: ctx.now().toISOString(),
    contentType: header(request, "content-type") ?? DEFAULT_CONTENT_TYPE,
    metadata: userMetadata(request),
    ...(checksum ? { checksum } : {}),
  };
  objects.commit(bucket.name, record);
  return { headers: { etag: record.etag, ...(checksum ? { [checksumHeader(checksum.algorithm)]: checksum.value } : {}) } };
};

/** The object, or S3's answer when it is missing: 404 to callers who may list the bucket, 403 to others. */
function existingObject(ctx: OperationContext, bucket: BucketRecord, key: string): ObjectRecord {
  const record = objectStore(ctx.store).get(bucket.name, key);
  if (record) return record;
  if (mayS3(ctx, "s3:ListBucket", bucket)) throw new AwsError("NoSuchKey", "The specified key does not exist.", 404);
  throw new AwsError("AccessDenied", "Access Denied", 403);
}

function readObject(ctx: OperationContext, request: S3Request): { bucket: BucketRecord; record: ObjectRecord } {
  const bucket = existingBucket(ctx, request);
  const key = objectKey(request);
  authorizeS3(ctx, "s3:GetObject", bucket, key);
  return { bucket, record: existingObject(ctx, bucket, key) };
}

const checksumModeEnabled = (request: S3Request) => header(request, "x-amz-checksum-mode")?.toUpperCase() === "ENABLED";

const getObject: Operation = (ctx, input) => {
  const request = s3Request(input);
  const { bucket, record } = readObject(ctx, request);
  const range = byteRange(header(request, "range"), record.size);
  if (range === "invalid") throw new AwsError("InvalidRange", "The requested range is not satisfiable", 416);
  const headers = objectHeaders(record, checksumModeEnabled(request) && range === undefined);
  const body = objectStore(ctx.store).read(bucket.name, record, range);
  if (!range) return { headers: { ...headers, "content-length": String(record.size) }, body };
  return {
    status: 206,
    headers: { ...headers, "content-length": String(range.end - range.start + 1), "content-range": `bytes ${range.start}-${range.end}/${record.size}` },
    body,
  };
};

const headObject: Operation = (ctx, input) => {
  const request = s3Request(input);
  const { record } = readObject(ctx, request);
  return { headers: { ...objectHeaders(record, checksumModeEnabled(request)), "content-length": String(record.size) } };
};

const deleteObject: Operation = (ctx, input) => {
  const request = s3Request(input);
  const bucket = existingBucket(ctx, request);
  const key = objectKey(request);
  authorizeS3(ctx, "s3:DeleteObject", bucket, key);
  objectStore(ctx.store).delete(bucket.name, key);
  return { status: 204 };
};

const MAX_KEYS_PER_DELETE = 1000;

const deleteObjects: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const bucket = existingBucket(ctx, request);
  const body = (await request.readXml()).Delete as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object") throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400);
  const entries = asList(body.Object).map((entry) => String((entry as Record<string, unknown>).Key ?? ""));
  if (entries.length === 0 || entries.length > MAX_KEYS_PER_DELETE) {
    throw new AwsError("MalformedXML", `A delete request names 1 to ${MAX_KEYS_PER_DELETE} keys.`, 400);
  }
  const quiet = String(body.Quiet ?? "false").toLowerCase() === "true";
  const deleted: Array<{ Key: string }> = [];
  const errors: Array<{ Key: string; Code: string; Message: string }> = [];
  for (const key of entries) {
    try {
      checkKey(key);
      authorizeS3(ctx, "s3:DeleteObject", bucket, key);
      objectStore(ctx.store).delete(bucket.name, key);
      deleted.push({ Key: key });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      errors.push({ Key: key, Code: error.code, Message: error.message });
    }
  }
  return { xml: { root: "DeleteResult", content: { Deleted: quiet ? [] : deleted, Error: errors } } };
};

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

/** `x-amz-copy-source: /bucket/key` (URL-encoded, optionally with ?versionId=). */
function copySource(request: S3Request): { bucket: string; key: string } {
  const raw = header(request, "x-amz-copy-source") ?? "";
  const [path] = raw.split("?");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path!.replace(/^\//, ""));
  } catch {
    throw new AwsError("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", 400);
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new AwsError("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", 400);
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

const copyObject: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const target = existingBucket(ctx, request);
  const key = objectKey(request);
  const source = copySource(request);
  const sourceBucket = requireBucket(ctx.store, source.bucket);
  authorizeS3(ctx, "s3:GetObject", sourceBucket, source.key);
  authorizeS3(ctx, "s3:PutObject", target, key);
  const original = existingObject(ctx, sourceBucket, source.key);
  const replace = header(request, "x-amz-metadata-directive")?.toUpperCase() === "REPLACE";
  if (!replace && sourceBucket.name === target.name && source.key === key) {
    throw new AwsError("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.", 400);
  }
  const objects = objectStore(ctx.store);
  const blob = await objects.copyBlob(sourceBucket.name, original, target.name);
  const record: ObjectRecord = {
    ...original,
    key,
    blob,
    lastModified: ctx.now().toISOString(),
    ...(replace ? { contentType: header(request, "content-type") ?? DEFAULT_CONTENT_TYPE, metadata: userMetadata(request) } : {}),
  };
  objects.commit(target.name, record);
  return { xml: { root: "CopyObjectResult", content: { ETag: record.etag, LastModified: new Date(record.lastModified) } } };
};

export const objectOperations = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CopyObject: copyObject,
};

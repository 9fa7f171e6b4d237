import { createHash, randomBytes } from "node:crypto";
import { AwsError } from "../../errors.ts";
import type { Operation, OperationContext } from "../../service.ts";
import type { BucketRecord } from "./buckets-state.ts";
import { receiveBody } from "./body-upload.ts";
import { CHECKSUM_ALGORITHMS, checksumHeader, checksummer } from "./checksums.ts";
import { asList } from "./objects.ts";
import { objectStore, type ObjectRecord, type StoredChecksum, type UploadRecord } from "./object-store.ts";
import { authorizeS3, existingBucket, header, objectKey, s3Request, userMetadata, type S3Request } from "./request.ts";

const MAX_PART_BYTES = 5 * 1024 ** 3;
const MIN_PART_BYTES = 5 * 1024 ** 2;
const MAX_PART_NUMBER = 10_000;

const createMultipartUpload: Operation = (ctx, input) => {
  const request = s3Request(input);
  const bucket = existingBucket(ctx, request);
  const key = objectKey(request);
  authorizeS3(ctx, "s3:PutObject", bucket, key);
  const asked = header(request, "x-amz-checksum-algorithm")?.toUpperCase();
  const checksumAlgorithm = asked === undefined ? undefined : CHECKSUM_ALGORITHMS.find((a) => a === asked);
  if (asked !== undefined && !checksumAlgorithm) throw new AwsError("InvalidRequest", `Checksum algorithm ${asked} is not supported.`, 400);
  const upload: UploadRecord = {
    uploadId: randomBytes(16).toString("hex"),
    bucket: bucket.name,
    key,
    initiated: ctx.now().toISOString(),
    contentType: header(request, "content-type") ?? "binary/octet-stream",
    metadata: userMetadata(request),
    ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
    parts: {},
  };
  objectStore(ctx.store).createUpload(upload);
  return {
    headers: checksumAlgorithm ? { "x-amz-checksum-algorithm": checksumAlgorithm } : {},
    xml: { root: "InitiateMultipartUploadResult", content: { Bucket: bucket.name, Key: key, UploadId: upload.uploadId } },
  };
};

function existingUpload(ctx: OperationContext, request: S3Request, action: string): { bucket: BucketRecord; key: string; upload: UploadRecord } {
  const bucket = existingBucket(ctx, request);
  const key = objectKey(request);
  authorizeS3(ctx, action, bucket, key);
  const upload = objectStore(ctx.store).upload(bucket.name, request.query.uploadId ?? "");
  if (!upload || upload.key !== key) {
    throw new AwsError("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", 404);
  }
  return { bucket, key, upload };
}

const uploadPart: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const { bucket, upload } = existingUpload(ctx, request, "s3:PutObject");
  const partNumber = Number(request.query.partNumber);
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new AwsError("InvalidArgument", `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 400);
  }
  const objects = objectStore(ctx.store);
  const { written, checksum } = await receiveBody(objects, bucket.name, request, MAX_PART_BYTES);
  const current = objects.upload(bucket.name, upload.uploadId);
  if (!current) {
    objects.discardBlob(bucket.name, written.blob);
    throw new AwsError("NoSuchUpload", "The upload was completed or aborted while this part was being sent.", 404);
  }
  objects.adoptPart(current, partNumber, written.blob);
  const md5 = written.md5.toString("hex");
  current.parts[String(partNumber)] = {
    partNumber,
    etag: `"${md5}"`,
    md5,
    size: written.size,
    lastModified: ctx.now().toISOString(),
    ...(checksum ? { checksum } : {}),
  };
  objects.saveUpload(current);
  return { headers: { etag: `"${md5}"`, ...(checksum ? { [checksumHeader(checksum.algorithm)]: checksum.value } : {}) } };
};

interface RequestedPart {
  partNumber: number;
  etag: string;
}

async function requestedParts(request: S3Request): Promise<RequestedPart[]> {
  const body = (await request.readXml()).CompleteMultipartUpload as Record<string, unknown> | undefined;
  const parts = asList(body && typeof body === "object" ? body.Part : undefined).map((part) => {
    const fields = part as Record<string, unknown>;
    return { partNumber: Number(fields.PartNumber), etag: String(fields.ETag ?? "").replace(/&quot;/g, '"') };
  });
  if (parts.length === 0) throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400);
  return parts;
}

const completeMultipartUpload: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const { bucket, key, upload } = existingUpload(ctx, request, "s3:PutObject");
  const parts = await requestedParts(request);
  const chosen = parts.map(({ partNumber, etag }, index) => {
    if (index > 0 && partNumber <= parts[index - 1]!.partNumber) {
      throw new AwsError("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.", 400);
    }
    const stored = upload.parts[String(partNumber)];
    const normalized = etag.startsWith('"') ? etag : `"${etag}"`;
    if (!stored || stored.etag !== normalized) {
      throw new AwsError("InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400);
    }
    return stored;
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_BYTES) throw new AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", 400);
  });
  const objects = objectStore(ctx.store);
  const { blob, size } = await objects.assemble(upload, chosen.map((part) => part.partNumber));
  const etag = `"${createHash("md5").update(Buffer.concat(chosen.map((part) => Buffer.from(part.md5, "hex")))).digest("hex")}-${chosen.length}"`;
  const checksum = compositeChecksum(upload, chosen.map((part) => part.checksum));
  const record: ObjectRecord = {
    key,
    blob,
    size,
    etag,
    lastModified: ctx.now().toISOString(),
    contentType: upload.contentType,
    metadata: upload.metadata,
    ...(checksum ? { checksum } : {}),
  };
  objects.commit(bucket.name, record);
  objects.dropUpload(bucket.name, upload.uploadId);
  return {
    xml: {
      root: "CompleteMultipartUploadResult",
      content: { Location: `/${bucket.name}/${encodeURI(key)}`, Bucket: bucket.name, Key: key, ETag: etag, ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value } : {}) },
    },
  };
};

/** S3's checksum of a multipart object: the checksum of the parts' checksums, with "-N". */
function compositeChecksum(upload: UploadRecord, partChecksums: Array<StoredChecksum | undefined>): StoredChecksum | undefined {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm || partChecksums.some((sum) => sum?.algorithm !== algorithm)) return undefined;
  const combined = checksummer(algorithm);
  for (const sum of partChecksums) combined.update(Buffer.from(sum!.value, "base64"));
  return { algorithm, value: `${combined.digest().toString("base64")}-${partChecksums.length}` };
}

const abortMultipartUpload: Operation = (ctx, input) => {
  const request = s3Request(input);
  const { bucket, upload } = existingUpload(ctx, request, "s3:AbortMultipartUpload");
  objectStore(ctx.store).dropUpload(bucket.name, upload.uploadId);
  return { status: 204 };
};

const listParts: Operation = (ctx, input) => {
  const request = s3Request(input);
  const { bucket, key, upload } = existingUpload(ctx, request, "s3:ListMultipartUploadParts");
  const parts = Object.values(upload.parts).sort((a, b) => a.partNumber - b.partNumber);
  return {
    xml: {
      root: "ListPartsResult",
      content: {
        Bucket: bucket.name,
        Key: key,
        UploadId: upload.uploadId,
        IsTruncated: false,
        Part: parts.map((part) => ({ PartNumber: part.partNumber, LastModified: new Date(part.lastModified), ETag: part.etag, Size: part.size })),
      },
    },
  };
};

const listMultipartUploads: Operation = (ctx, input) => {
  const request = s3Request(input);
  const bucket = existingBucket(ctx, request);
  authorizeS3(ctx, "s3:ListBucketMultipartUploads", bucket);
  const uploads = objectStore(ctx.store).uploads(bucket.name).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated.localeCompare(b.initiated)));
  return {
    xml: {
      root: "ListMultipartUploadsResult",
      content: {
        Bucket: bucket.name,
        IsTruncated: false,
        Upload: uploads.map((upload) => ({ Key: upload.key, UploadId: upload.uploadId, Initiated: new Date(upload.initiated), StorageClass: "STANDARD" })),
      },
    },
  };
};

export const multipartOperations = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
};

import type { Readable } from "node:stream";
import { AwsError } from "../../errors.ts";
import type { AuthorizationCheck, OperationContext, OperationInput } from "../../service.ts";
import type { ConditionContext } from "../../auth/policy/types.ts";
import type { ScopeRefusal } from "../../auth/scope.ts";
import { addressOf } from "../../protocols/rest-xml.ts";
import type { RawRequest } from "../../protocols/types.ts";
import type { Store } from "../../store/store.ts";
import { bucketPolicyDocument, findBucket, requireBucket, type BucketRecord } from "./buckets-state.ts";
import { checkBucketName, checkKey } from "./names.ts";

/** An S3 request as the restXml protocol hands it over. */
export interface S3Request {
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: Readable;
  trailers: Record<string, string>;
  readXml(): Promise<Record<string, unknown>>;
  readText(): Promise<string>;
}

export function s3Request(input: OperationInput): S3Request {
  return {
    ...(typeof input.Bucket === "string" ? { bucket: input.Bucket } : {}),
    ...(typeof input.Key === "string" ? { key: input.Key } : {}),
    query: (input.Query ?? {}) as Record<string, string>,
    headers: (input.Headers ?? {}) as Record<string, string>,
    ...(input.Body ? { body: input.Body as Readable } : {}),
    trailers: (input.Trailers ?? {}) as Record<string, string>,
    readXml: input.ReadXml as () => Promise<Record<string, unknown>>,
    readText: input.ReadText as () => Promise<string>,
  };
}

export function bucketName(request: S3Request): string {
  if (request.bucket === undefined) throw new AwsError("InvalidRequest", "This operation needs a bucket.", 400);
  checkBucketName(request.bucket);
  return request.bucket;
}

export function objectKey(request: S3Request): string {
  if (request.key === undefined) throw new AwsError("InvalidRequest", "This operation needs an object key.", 400);
  checkKey(request.key);
  return request.key;
}

/**
 * The bucket of the request, which must exist and live in the region the request is signed for.
 * A bucket elsewhere answers as S3's endpoint of the signing region does, before any authorization:
 * 301 PermanentRedirect with the bucket's region in `x-amz-bucket-region`, which SDKs follow
 * (S3Client's `followRegionRedirects`, botocore) and HEAD requests get without a body.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
export function existingBucket(ctx: OperationContext, request: S3Request): BucketRecord {
  const bucket = requireBucket(ctx.store, bucketName(request));
  if (bucket.region !== ctx.region) throw permanentRedirect(bucket, header(request, "host"));
  return bucket;
}

/**
 * AWS's Endpoint names the bucket's regional host; the local AWS serves every region at one
 * address, so it names the host the request was sent to.
 */
function permanentRedirect(bucket: BucketRecord, host: string | undefined): AwsError {
  return new AwsError(
    "PermanentRedirect",
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    301,
    "Sender",
    { Endpoint: host, Bucket: bucket.name },
    { "x-amz-bucket-region": bucket.region },
  );
}

/**
 * S3's refusal of a credential scoped to a region that is not one, or to another service (the
 * region named alone when both are wrong): 400 AuthorizationHeaderMalformed, or for a presigned URL
 * AuthorizationQueryParametersError, "the region 'xx' is wrong; expecting 'us-east-1'" with the
 * expected region in `Region` (and `x-amz-bucket-region`): the bucket's when the request names one
 * that exists, else us-east-1's, whose endpoint a request for no region reaches (s3.amazonaws.com);
 * and "incorrect service". https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 * A region that exists but is not the bucket's is answered by `existingBucket`.
 */
export const refuseS3Scope: ScopeRefusal = (claim, problem, request, store) => {
  const presigned = claim.location === "query";
  const code = presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed";
  const malformed = presigned ? "Error parsing the X-Amz-Credential parameter;" : "The authorization header is malformed;";
  if (!problem.region) return new AwsError(code, `${malformed} incorrect service "${claim.service}". This endpoint belongs to "s3".`, 400);
  const bucket = addressedBucket(request, store);
  const expected = bucket?.region ?? "us-east-1";
  return new AwsError(code, `${malformed} the region '${claim.region}' is wrong; expecting '${expected}'`, 400, "Sender", { Region: expected }, bucket ? { "x-amz-bucket-region": expected } : {});
};

/** The existing bucket a request addresses, if any (a path S3 cannot decode addresses none). */
function addressedBucket(request: RawRequest, store: Store): BucketRecord | undefined {
  try {
    const name = addressOf(request).bucket;
    return name === undefined ? undefined : findBucket(store, name);
  } catch (error) {
    if (error instanceof AwsError) return undefined;
    throw error;
  }
}

export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/** The authorization check for an action on a bucket (no key) or an object, with its bucket policy. */
export function s3Check(action: string, bucket: BucketRecord, key: string | undefined, context?: ConditionContext): AuthorizationCheck {
  const policy = bucketPolicyDocument(bucket);
  return {
    action,
    resource: key === undefined ? bucketArn(bucket.name) : objectArn(bucket.name, key),
    resourceAccount: bucket.ownerAccount,
    ...(policy ? { resourcePolicy: policy } : {}),
    ...(context ? { context } : {}),
  };
}

/** Authorizes an action on a bucket or an object with the caller's policies and the bucket policy. */
export function authorizeS3(ctx: OperationContext, action: string, bucket: BucketRecord, key?: string, context?: ConditionContext): void {
  ctx.authorize(s3Check(action, bucket, key, context));
}

/** Whether the caller may do it, without failing (S3 answers 403 rather than 404 to callers who may not list). */
export function mayS3(ctx: OperationContext, action: string, bucket: BucketRecord, key?: string): boolean {
  try {
    ctx.authorize(s3Check(action, bucket, key));
    return true;
  } catch (error) {
    if (error instanceof AwsError && error.code === "AccessDenied") return false;
    throw error;
  }
}

export function header(request: S3Request, name: string): string | undefined {
  return request.headers[name];
}

/** User metadata: x-amz-meta-* headers. */
export function userMetadata(request: S3Request): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (name.startsWith("x-amz-meta-")) metadata[name.slice(11)] = value;
  return metadata;
}

import { AwsError } from "../../errors.ts";
import type { Operation } from "../../service.ts";
import { addBucket, bucketsOwnedBy, canonicalUserId, findBucket, removeBucket, requireBucket } from "./buckets-state.ts";
import { objectStore } from "./object-store.ts";
import { authorizeS3, bucketArn, bucketName, existingBucket, s3Check, s3Request } from "./request.ts";

const listBuckets: Operation = (ctx) => {
  ctx.authorize({ action: "s3:ListAllMyBuckets", resource: "*" });
  const account = ctx.principal.accountId;
  return {
    xml: {
      root: "ListAllMyBucketsResult",
      content: {
        Owner: { ID: canonicalUserId(account), DisplayName: account },
        Buckets: { Bucket: bucketsOwnedBy(ctx.store, account).map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })) },
      },
    },
  };
};

const createBucket: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const name = bucketName(request);
  ctx.authorize({ action: "s3:CreateBucket", resource: bucketArn(name) });
  const configuration = await request.readXml();
  const constraint = locationConstraint(configuration);
  const region = constraint ?? "us-east-1";
  if (region !== ctx.region && !(region === "us-east-1" && constraint === undefined && ctx.region === "us-east-1")) {
    throw new AwsError(
      "IllegalLocationConstraintException",
      constraint === undefined
        ? `The unspecified location constraint is incompatible for the region specific endpoint this request was sent to (${ctx.region}): pass CreateBucketConfiguration.LocationConstraint=${ctx.region}.`
        : `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to (${ctx.region}).`,
      400,
    );
  }
  const existing = findBucket(ctx.store, name);
  if (existing) {
    if (existing.ownerAccount !== ctx.principal.accountId) {
      throw new AwsError("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", 409);
    }
    // us-east-1 answers 200 to its owner for historical reasons; every other region says so.
    if (existing.region === "us-east-1" && region === "us-east-1") return { headers: { location: `/${name}` } };
    throw new AwsError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409);
  }
  addBucket(ctx.store, { name, ownerAccount: ctx.principal.accountId, region, createdAt: ctx.now().toISOString() });
  return { headers: { location: `/${name}` } };
};

function locationConstraint(configuration: Record<string, unknown>): string | undefined {
  const body = configuration.CreateBucketConfiguration;
  if (body === undefined || body === "") return undefined;
  const constraint = (body as Record<string, unknown>).LocationConstraint;
  if (constraint === undefined || constraint === "") return undefined;
  if (typeof constraint !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(constraint)) {
    throw new AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid.", 400);
  }
  return constraint;
}

/** HeadBucket tells the bucket's region "whether access to the bucket is authorized or not" (API_GetBucketLocation). */
const headBucket: Operation = (ctx, input) => {
  const bucket = existingBucket(ctx, s3Request(input));
  const regionHeader = { "x-amz-bucket-region": bucket.region };
  try {
    authorizeS3(ctx, "s3:ListBucket", bucket);
  } catch (error) {
    if (error instanceof AwsError) throw new AwsError(error.code, error.message, error.status, error.type, error.fields, regionHeader);
    throw error;
  }
  return { headers: regionHeader };
};

/**
 * Answered in any region; "in other Regions, the bucket policy doesn't apply, which means that
 * cross-account access won't be authorized".
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
 */
const getBucketLocation: Operation = (ctx, input) => {
  const bucket = requireBucket(ctx.store, bucketName(s3Request(input)));
  const check = s3Check("s3:GetBucketLocation", bucket, undefined);
  if (bucket.region !== ctx.region) delete check.resourcePolicy;
  ctx.authorize(check);
  return { xml: { root: "LocationConstraint", content: bucket.region === "us-east-1" ? {} : { "#text": bucket.region } } };
};

const deleteBucket: Operation = (ctx, input) => {
  const bucket = existingBucket(ctx, s3Request(input));
  authorizeS3(ctx, "s3:DeleteBucket", bucket);
  const objects = objectStore(ctx.store);
  if (objects.objects(bucket.name).size > 0) {
    throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
  }
  removeBucket(ctx.store, bucket);
  objects.dropBucket(bucket.name);
  return { status: 204 };
};

export const bucketOperations = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  DeleteBucket: deleteBucket,
};

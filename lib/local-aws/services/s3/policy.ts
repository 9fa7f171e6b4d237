import { displayedPolicy, withPrincipalIds } from "../../auth/principal-ids.ts";
import { parsePolicyDocument, PolicyDocumentError } from "../../auth/policy/index.ts";
import type { PolicyDocument, PolicyStatement } from "../../auth/policy/types.ts";
import { AwsError } from "../../errors.ts";
import type { Operation } from "../../service.ts";
import { setBucketPolicy, type BucketRecord } from "./buckets-state.ts";
import { authorizeS3, existingBucket, s3Request } from "./request.ts";
import type { OperationContext } from "../../service.ts";

const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

/**
 * Only identities of the bucket owner's account may read or change its policy, whatever the policy
 * says: "If you don't have GetBucketPolicy permissions, Amazon S3 returns a 403 Access Denied error.
 * If you have the correct permissions, but you're not using an identity that belongs to the bucket
 * owner's account, Amazon S3 returns a 405 Method Not Allowed error" (the same for Put and Delete).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
 */
function authorizeOwner(ctx: OperationContext, action: string, bucket: BucketRecord): void {
  authorizeS3(ctx, action, bucket);
  if (ctx.principal.accountId !== bucket.ownerAccount) {
    throw new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
  }
}

const putBucketPolicy: Operation = async (ctx, input) => {
  const request = s3Request(input);
  const bucket = existingBucket(ctx, request);
  authorizeOwner(ctx, "s3:PutBucketPolicy", bucket);
  const text = await request.readText();
  if (Buffer.byteLength(text) > MAX_BUCKET_POLICY_BYTES) throw new AwsError("PolicyTooLarge", `Policy exceeds the maximum allowed document size of ${MAX_BUCKET_POLICY_BYTES} bytes.`, 400);
  const document = validatedPolicy(text);
  checkResources(document, bucket.name);
  setBucketPolicy(ctx.store, bucket, text, withPrincipalIds(ctx.store, document, invalidPrincipal));
  return { status: 204 };
};

/**
 * S3 saves the users and roles a bucket policy names by unique ID, as IAM does trust policies, and
 * refuses one that does not exist: "Invalid principal in policy" ("confirm that the user or role
 * wasn't deleted", https://repost.aws/knowledge-center/s3-invalid-principal-in-policy-error;
 * "the principal ID appears in resource-based policies" once it is,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-users).
 */
const invalidPrincipal = () => new AwsError("MalformedPolicy", "Invalid principal in policy", 400);

function validatedPolicy(text: string): PolicyDocument {
  try {
    return parsePolicyDocument(text, "resource");
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw new AwsError("MalformedPolicy", error.message, 400);
    throw error;
  }
}

/** Every statement must be about this bucket or its objects. */
function checkResources(document: PolicyDocument, bucket: string): void {
  const statements: PolicyStatement[] = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const statement of statements) {
    const resources = statement.Resource ?? statement.NotResource ?? [];
    for (const resource of Array.isArray(resources) ? resources : [resources]) {
      if (resource !== `arn:aws:s3:::${bucket}` && !resource.startsWith(`arn:aws:s3:::${bucket}/`)) {
        throw new AwsError("MalformedPolicy", "Policy has invalid resource", 400);
      }
    }
  }
}

const getBucketPolicy: Operation = (ctx, input) => {
  const bucket = existingBucket(ctx, s3Request(input));
  authorizeOwner(ctx, "s3:GetBucketPolicy", bucket);
  if (bucket.policy === undefined) throw new AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
  const shown = bucket.policyWithIds ? displayedPolicy(ctx.store, bucket.policyWithIds, bucket.policy) : bucket.policy;
  return { headers: { "content-type": "application/json" }, body: Buffer.from(shown, "utf8") };
};

const deleteBucketPolicy: Operation = (ctx, input) => {
  const bucket = existingBucket(ctx, s3Request(input));
  authorizeOwner(ctx, "s3:DeleteBucketPolicy", bucket);
  setBucketPolicy(ctx.store, bucket, undefined);
  return { status: 204 };
};

export const policyOperations = {
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
};

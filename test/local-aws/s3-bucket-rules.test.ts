import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, DeleteBucketPolicyCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { AttachUserPolicyCommand } from "@aws-sdk/client-iam";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { s3For } from "../helpers/s3.ts";
import { signedFetch } from "../helpers/signed-fetch.ts";

const BUCKET = "saas-policy-rules";

let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
  for (const credentials of [aws.customer, aws.saas]) {
    const user = credentials === aws.customer ? "customer_config" : "saas_config";
    await clientsFor(aws, credentials).iam.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
  }
  await s3For(aws, aws.saas).send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => aws.stop());

const policyGranting = (actions: string[]) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:root` }, Action: actions, Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }],
  });

const policyCalls = (credentials: Credentials) => {
  const s3 = s3For(aws, credentials);
  return [
    () => s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })),
    () => s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyGranting(["s3:GetObject"]) })),
    () => s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET })),
  ];
};

describe("bucket policies are the owner account's business", () => {
  it("another account without the permissions gets 403 AccessDenied", async () => {
    await s3For(aws, aws.saas).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyGranting(["s3:GetObject"]) }));
    for (const call of policyCalls(aws.customer)) {
      await expect(call()).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    }
  });

  it("another account with the permissions gets 405 MethodNotAllowed, and the policy stays", async () => {
    const granting = policyGranting(["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]);
    await s3For(aws, aws.saas).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: granting }));
    for (const call of policyCalls(aws.customer)) {
      await expect(call()).rejects.toMatchObject({ name: "MethodNotAllowed", $metadata: { httpStatusCode: 405 } });
    }
    const { Policy } = await s3For(aws, aws.saas).send(new GetBucketPolicyCommand({ Bucket: BUCKET }));
    expect(Policy).toBe(granting);
  });
});

describe("bucket names AWS reserves", () => {
  const reserved = [
    "xn--bucket",
    "sthree-bucket",
    "sthree-configurator-bucket",
    "amzn-s3-demo-bucket",
    "bucket-s3alias",
    "bucket--ol-s3",
    "bucket.mrap",
    "bucket--x-s3",
    "bucket--table-s3",
  ];

  it.each(reserved)("CreateBucket refuses %s with InvalidBucketName", async (name) => {
    // By hand: the SDK routes some of these suffixes (--x-s3) elsewhere before sending.
    const answer = await signedFetch(aws.endpoint, aws.saas, "s3", { method: "PUT", path: `/${name}`, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>InvalidBucketName</Code>");
  });

  it("names that merely contain the reserved words are fine", async () => {
    for (const name of ["my-xn--bucket", "bucket-s3alias-2", "bucket.mrap.logs", "bucket--table-s3x"]) {
      await s3For(aws, aws.saas).send(new CreateBucketCommand({ Bucket: name }));
    }
  });
});

/** Requests signed for one region to a bucket in another: S3's 301 PermanentRedirect with x-amz-bucket-region, which the SDK can follow. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AttachUserPolicyCommand } from "@aws-sdk/client-iam";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../lib/project-root.ts";
import { SAMPLE_BUCKET, SAMPLE_KEY } from "../../lib/local-aws/services/s3/sample-bucket.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { createUserWithKey } from "../helpers/cross-account-fixture.ts";
import { DEBIAN_PYTHON, mustHavePeers, peerClientsAvailable, runCommand } from "../helpers/peer-clients.ts";

const EU_BUCKET = "regions-test-eu-west-1";
const SAMPLE_DATA = readFileSync(join(projectRoot(), "data", "churn.txt"));
const peers = await peerClientsAvailable();

let aws: TestAws;
let reader: Credentials;

beforeAll(async () => {
  aws = await startTestAws();
  reader = await createUserWithKey(aws, "reader");
  await clientsFor(aws, aws.saas).iam.send(new AttachUserPolicyCommand({ UserName: "reader", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
});

afterAll(() => aws.stop());

const s3In = (region: string, followRegionRedirects = false, credentials = reader) =>
  new S3Client({ endpoint: aws.endpoint, region, credentials, maxAttempts: 1, forcePathStyle: true, followRegionRedirects });

const redirectTo = (region: string) => ({ $metadata: { httpStatusCode: 301 }, $response: { headers: expect.objectContaining({ "x-amz-bucket-region": region }) } });

describe("a request signed for eu-west-1 to the sample bucket in us-east-1", () => {
  it("answers 301 PermanentRedirect naming the bucket's region, before any authorization", async () => {
    const eu = s3In("eu-west-1");
    await expect(eu.send(new GetObjectCommand({ Bucket: SAMPLE_BUCKET, Key: SAMPLE_KEY }))).rejects.toMatchObject({
      name: "PermanentRedirect",
      message: "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
      Bucket: SAMPLE_BUCKET,
      Endpoint: new URL(aws.endpoint).host,
      ...redirectTo("us-east-1"),
    });
    await expect(eu.send(new ListObjectsV2Command({ Bucket: SAMPLE_BUCKET }))).rejects.toMatchObject({ name: "PermanentRedirect", ...redirectTo("us-east-1") });
    // HEAD answers have no body, so the SDK names the error by its status, as it does against AWS.
    await expect(eu.send(new HeadObjectCommand({ Bucket: SAMPLE_BUCKET, Key: SAMPLE_KEY }))).rejects.toMatchObject(redirectTo("us-east-1"));
    await expect(eu.send(new HeadBucketCommand({ Bucket: SAMPLE_BUCKET }))).rejects.toMatchObject(redirectTo("us-east-1"));
    // A caller without any S3 permission learns the region the same way.
    await expect(s3In("eu-west-1", false, aws.saas).send(new GetObjectCommand({ Bucket: SAMPLE_BUCKET, Key: SAMPLE_KEY }))).rejects.toMatchObject({ name: "PermanentRedirect" });
  });

  it("succeeds with followRegionRedirects", async () => {
    const eu = s3In("eu-west-1", true);
    const object = await eu.send(new GetObjectCommand({ Bucket: SAMPLE_BUCKET, Key: SAMPLE_KEY }));
    expect(await object.Body!.transformToString()).toBe(SAMPLE_DATA.toString("utf8"));
    expect((await eu.send(new HeadObjectCommand({ Bucket: SAMPLE_BUCKET, Key: SAMPLE_KEY }))).ContentLength).toBe(object.ContentLength);
    expect((await eu.send(new ListObjectsV2Command({ Bucket: SAMPLE_BUCKET }))).Contents!.map((entry) => entry.Key)).toContain(SAMPLE_KEY);
    expect(await eu.send(new HeadBucketCommand({ Bucket: SAMPLE_BUCKET }))).toMatchObject({ BucketRegion: "us-east-1" });
  });
});

describe("a bucket in eu-west-1", () => {
  beforeAll(async () => {
    await s3In("eu-west-1").send(new CreateBucketCommand({ Bucket: EU_BUCKET, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
  });

  it("redirects us-east-1 requests to eu-west-1, which the SDK follows when asked", async () => {
    const put = (s3: S3Client) => s3.send(new PutObjectCommand({ Bucket: EU_BUCKET, Key: "k.txt", Body: "in Ireland" }));
    await expect(put(s3In("us-east-1"))).rejects.toMatchObject({ name: "PermanentRedirect", ...redirectTo("eu-west-1") });
    await put(s3In("us-east-1", true));
    const object = await s3In("us-east-1", true).send(new GetObjectCommand({ Bucket: EU_BUCKET, Key: "k.txt" }));
    expect(await object.Body!.transformToString()).toBe("in Ireland");
  });

  it("copies from a bucket in another region, and tells its location from any region", async () => {
    await s3In("eu-west-1").send(new CopyObjectCommand({ Bucket: EU_BUCKET, Key: "churn.txt", CopySource: `${SAMPLE_BUCKET}/${SAMPLE_KEY}` }));
    expect((await s3In("eu-west-1").send(new HeadObjectCommand({ Bucket: EU_BUCKET, Key: "churn.txt" }))).ContentLength).toBeGreaterThan(0);
    expect(await s3In("us-east-1").send(new GetBucketLocationCommand({ Bucket: EU_BUCKET }))).toMatchObject({ LocationConstraint: "eu-west-1" });
  });

  it("HeadBucket names the region even when access is denied", async () => {
    await expect(s3In("eu-west-1", false, aws.saas).send(new HeadBucketCommand({ Bucket: EU_BUCKET }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
      $response: { headers: expect.objectContaining({ "x-amz-bucket-region": "eu-west-1" }) },
    });
  });
});

const botoScript = `
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="eu-west-1")
body = s3.get_object(Bucket=sys.argv[2], Key=sys.argv[3])["Body"].read()
print(len(body), s3.head_bucket(Bucket=sys.argv[2])["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"])
`;

describe.runIf(peers.boto3 || mustHavePeers())("boto3 in eu-west-1", () => {
  it("follows the redirect to the sample bucket in us-east-1 on its own", async () => {
    const env = { AWS_ACCESS_KEY_ID: reader.accessKeyId, AWS_SECRET_ACCESS_KEY: reader.secretAccessKey, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const { stdout, stderr, code } = await runCommand(DEBIAN_PYTHON, ["-c", botoScript, aws.endpoint, SAMPLE_BUCKET, SAMPLE_KEY], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`${SAMPLE_DATA.length} us-east-1`);
  });
});

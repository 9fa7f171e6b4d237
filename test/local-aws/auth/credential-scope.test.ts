/**
 * The local endpoint stands for every region's: the region a request is for is the one its
 * signature is scoped to, and the scope is checked as AWS's endpoints check it. A region must be
 * one of the aws partition's, IAM's only us-east-1 (its one endpoint's); the service must be the
 * one the request reached.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { ListModelsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../../lib/local-aws/auth/node-hash.ts";
import { startTestAws, type Credentials, type TestAws } from "../../helpers/local-aws.ts";
import { AWS_CLI, DEBIAN_PYTHON, mustHavePeers, peerClientsAvailable, peerEnvWith, runCommand } from "../../helpers/peer-clients.ts";
import { s3UserWithBucket } from "../../helpers/s3.ts";
import { formHeaders, signedFetch } from "../../helpers/signed-fetch.ts";

const BUCKET = "scoped-requests";
const available = await peerClientsAvailable();

let aws: TestAws;
let owner: Credentials;
beforeAll(async () => {
  aws = await startTestAws();
  owner = await s3UserWithBucket(aws, "owner", BUCKET);
});
afterAll(() => aws.stop());

const common = (region: string) => ({ endpoint: aws.endpoint, region, credentials: aws.customer, maxAttempts: 1 });
const s3In = (region: string, credentials = aws.customer) => new S3Client({ ...common(region), credentials, forcePathStyle: true });

/** The error a send rejects with, for its code, message, status and extra members. */
async function failure(send: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number }; $response?: { headers: Record<string, string> }; Region?: string }> {
  const error = await send.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error("expected the request to be refused");
  return error as never;
}

describe("a scope naming no region of the aws partition", () => {
  // us-fake-1 has the form of an aws region but is none; cn-north-1 and us-gov-west-1 are other partitions'.
  const notAwsRegions = ["us-fake-1", "cn-north-1", "us-gov-west-1", "aws-global"];

  it("is refused by SageMaker and SageMaker Runtime with 400 InvalidSignatureException", async () => {
    for (const region of notAwsRegions) {
      const refused = await failure(new SageMakerClient(common(region)).send(new ListModelsCommand({})));
      expect(refused.name).toBe("InvalidSignatureException");
      expect(refused.message).toBe("Credential should be scoped to a valid region. ");
      expect(refused.$metadata.httpStatusCode).toBe(400);
    }
    const runtime = await failure(new SageMakerRuntimeClient(common("us-fake-1")).send(new InvokeEndpointCommand({ EndpointName: "any", Body: Buffer.from("1") })));
    expect([runtime.name, runtime.message]).toEqual(["InvalidSignatureException", "Credential should be scoped to a valid region. "]);
  });

  it("is refused by STS with 403 SignatureDoesNotMatch, and by IAM naming the region", async () => {
    for (const region of notAwsRegions) {
      const sts = await failure(new STSClient(common(region)).send(new GetCallerIdentityCommand({})));
      expect([sts.name, sts.message, sts.$metadata.httpStatusCode]).toEqual(["SignatureDoesNotMatch", "Credential should be scoped to a valid region. ", 403]);
      const iam = await failure(new IAMClient(common(region)).send(new ListUsersCommand({})));
      expect([iam.name, iam.message, iam.$metadata.httpStatusCode]).toEqual(["SignatureDoesNotMatch", `Credential should be scoped to a valid region, not '${region}'. `, 403]);
    }
  });

  it("is refused by S3 with AuthorizationHeaderMalformed, expecting the bucket's region", async () => {
    const refused = await failure(s3In("us-fake-1").send(new ListObjectsV2Command({ Bucket: BUCKET })));
    expect(refused.name).toBe("AuthorizationHeaderMalformed");
    expect(refused.message).toBe("The authorization header is malformed; the region 'us-fake-1' is wrong; expecting 'us-east-1'");
    expect(refused.$metadata.httpStatusCode).toBe(400);
    expect(refused.Region).toBe("us-east-1");
    expect(refused.$response?.headers["x-amz-bucket-region"]).toBe("us-east-1");
    // No bucket named: S3's global endpoint, us-east-1's, is what a request for no region reaches.
    expect((await failure(s3In("cn-north-1").send(new ListBucketsCommand({})))).message).toBe(
      "The authorization header is malformed; the region 'cn-north-1' is wrong; expecting 'us-east-1'",
    );
  });

  it.runIf(available.boto3 || mustHavePeers())("in words boto3 follows: it retries in the Region S3 expects", async () => {
    const script = [
      "import boto3, sys",
      `s3 = boto3.client("s3", region_name="us-fake-1", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])`,
      `print(s3.list_objects_v2(Bucket="${BUCKET}")["ResponseMetadata"]["HTTPStatusCode"])`,
    ].join("\n");
    const listed = await runCommand(DEBIAN_PYTHON, ["-c", script, aws.endpoint, owner.accessKeyId, owner.secretAccessKey], peerEnvWith(owner));
    expect(listed.stderr).toBe("");
    expect(listed.stdout.trim()).toBe("200");
  });

  it("is refused in a presigned URL with AuthorizationQueryParametersError", async () => {
    const url = new URL(`/${BUCKET}?list-type=2`, aws.endpoint);
    const signer = new SignatureV4({ credentials: aws.customer, region: "xx-fake-1", service: "s3", sha256: NodeSha256, uriEscapePath: false });
    const presigned = await signer.presign(
      { method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: { "list-type": "2" }, headers: { host: url.host } },
      { expiresIn: 300 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const answer = await fetch(new URL(`${url.pathname}?${query}`, aws.endpoint));
    expect(answer.status).toBe(400);
    const body = await answer.text();
    expect(body).toContain("<Code>AuthorizationQueryParametersError</Code>");
    expect(body).toContain("<Message>Error parsing the X-Amz-Credential parameter; the region &apos;xx-fake-1&apos; is wrong; expecting &apos;us-east-1&apos;</Message>");
    expect(body).toContain("<Region>us-east-1</Region>");
  });
});

describe("IAM, whose one endpoint is us-east-1's", () => {
  it("refuses a request signed for any other region, as an SDK given an endpoint signs it", async () => {
    const refused = await failure(new IAMClient(common("eu-west-1")).send(new ListUsersCommand({})));
    expect([refused.name, refused.message, refused.$metadata.httpStatusCode]).toEqual(["SignatureDoesNotMatch", "Credential should be scoped to a valid region, not 'eu-west-1'. ", 403]);
    expect((await new IAMClient(common("us-east-1")).send(new ListUsersCommand({}))).Users?.length).toBeGreaterThan(0);
  });

  it("while STS takes any region of the partition (its endpoints are regional)", async () => {
    for (const region of ["eu-west-1", "ap-southeast-2", "us-west-2"]) {
      expect((await new STSClient(common(region)).send(new GetCallerIdentityCommand({}))).Account).toBe("111111111111");
    }
  });

  it.runIf(available.cli || mustHavePeers())("refuses `aws iam list-users --region eu-west-1`, and takes --region us-east-1", async () => {
    const iam = (region: string) => runCommand(AWS_CLI, ["iam", "list-users", "--endpoint-url", aws.endpoint, "--region", region, "--output", "json"], peerEnvWith(aws.customer));
    const refused = await iam("eu-west-1");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("An error occurred (SignatureDoesNotMatch) when calling the ListUsers operation: Credential should be scoped to a valid region, not 'eu-west-1'.");
    const listed = await iam("us-east-1");
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout).Users.map((user: { UserName: string }) => user.UserName)).toContain("customer_config");
  });
});

describe("a scope naming another service than the one the request reached", () => {
  it("SageMaker (by its X-Amz-Target) refuses a request signed for s3", async () => {
    const answer = await signedFetch(aws.endpoint, aws.customer, "s3", {
      headers: { "x-amz-target": "SageMaker.ListModels", "content-type": "application/x-amz-json-1.1" },
      body: "{}",
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ __type: "InvalidSignatureException", message: "Credential should be scoped to correct service: 'sagemaker'. " });
  });

  it("STS and IAM (by their API's Version) refuse a request signed for the other", async () => {
    const sts = await signedFetch(aws.endpoint, aws.customer, "iam", { headers: formHeaders, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(sts.status).toBe(403);
    expect(sts.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(sts.body).toContain("<Message>Credential should be scoped to correct service: &apos;sts&apos;. </Message>");
    const iam = await signedFetch(aws.endpoint, aws.customer, "sts", { headers: formHeaders, body: "Action=ListUsers&Version=2010-05-08" });
    expect(iam.body).toContain("<Message>Credential should be scoped to correct service: &apos;iam&apos;. </Message>");
  });

  it("S3 refuses a request signed for sts with AuthorizationHeaderMalformed", async () => {
    const answer = await signedFetch(aws.endpoint, aws.customer, "sts", { method: "GET", path: `/${BUCKET}?list-type=2` });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>AuthorizationHeaderMalformed</Code>");
    expect(answer.body).toContain("<Message>The authorization header is malformed; incorrect service &quot;sts&quot;. This endpoint belongs to &quot;s3&quot;.</Message>");
  });
});

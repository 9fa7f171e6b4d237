import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { startTestAws, type TestAws } from "../../helpers/local-aws.ts";
import { AWS_CLI, DEBIAN_PYTHON, mustHavePeers, peerClientsAvailable, runCommand } from "../../helpers/peer-clients.ts";
import { s3For, s3UserWithFullAccess } from "../../helpers/s3.ts";

const SAMPLE = "/sagemaker-sample-files/datasets/tabular/synthetic/churn.txt";
const PRIVATE_BUCKET = "anonymous-private";
const churn = readFileSync(join(import.meta.dirname, "../../../data/churn.txt"), "utf8");
const available = await peerClientsAvailable();
const peerEnv = { AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" };

let aws: TestAws;

beforeAll(async () => {
  aws = await startTestAws();
  const user = await s3UserWithFullAccess(aws, "owner");
  const s3 = s3For(aws, user);
  await s3.send(new CreateBucketCommand({ Bucket: PRIVATE_BUCKET }));
  for (const key of ["secret.txt", "public/open.txt", "public/closed.txt"]) await s3.send(new PutObjectCommand({ Bucket: PRIVATE_BUCKET, Key: key, Body: key }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: PRIVATE_BUCKET,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${PRIVATE_BUCKET}/public/*` },
          { Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${PRIVATE_BUCKET}/public/closed.txt` },
        ],
      }),
    }),
  );
});
afterAll(() => aws.stop());

const unsigned = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(new URL(path, aws.endpoint), init);
  return { status: response.status, body: await response.text() };
};

describe("unsigned requests are the anonymous principal's", () => {
  it("read the public-read sample bucket", async () => {
    expect(await unsigned(SAMPLE)).toEqual({ status: 200, body: churn });
    const listed = await unsigned("/sagemaker-sample-files?list-type=2&prefix=datasets/");
    expect(listed.status).toBe(200);
    expect(listed.body).toContain("<Key>datasets/tabular/synthetic/churn.txt</Key>");
  });

  it("get only what a bucket policy grants to Principal \"*\", and not what it denies", async () => {
    expect(await unsigned(`/${PRIVATE_BUCKET}/public/open.txt`)).toEqual({ status: 200, body: "public/open.txt" });
    for (const key of ["secret.txt", "public/closed.txt"]) {
      const denied = await unsigned(`/${PRIVATE_BUCKET}/${key}`);
      expect(denied.status).toBe(403);
      expect(denied.body).toContain("<Code>AccessDenied</Code>");
      expect(denied.body).toContain(`User: anonymous is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::${PRIVATE_BUCKET}/${key}`);
    }
  });

  it("cannot write, list buckets or create one", async () => {
    const put = await unsigned("/sagemaker-sample-files/planted.txt", { method: "PUT", body: "x" });
    expect(put.status).toBe(403);
    expect(put.body).toContain("because no resource-based policy allows the s3:PutObject action");
    expect((await unsigned("/")).status).toBe(403);
    expect((await unsigned("/anonymous-made", { method: "PUT" })).status).toBe(403);
  });

  it("are refused by IAM and STS with MissingAuthenticationToken", async () => {
    for (const action of ["Action=GetCallerIdentity&Version=2011-06-15", "Action=ListUsers&Version=2010-05-08"]) {
      const answer = await unsigned("/", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: action });
      expect(answer.status).toBe(403);
      expect(answer.body).toContain("<Code>MissingAuthenticationToken</Code>");
    }
  });

  it.runIf(available.cli || mustHavePeers())("serve `aws s3 cp --no-sign-request` from the sample bucket", async () => {
    const copied = await runCommand(AWS_CLI, ["s3", "cp", "--no-sign-request", "--endpoint-url", aws.endpoint, "--region", aws.region, `s3:/${SAMPLE}`, "-"], peerEnv);
    expect(copied.stderr).toBe("");
    expect(copied.code).toBe(0);
    expect(copied.stdout).toBe(churn);
  });

  it.runIf(available.boto3 || mustHavePeers())("serve boto3 with signature_version=UNSIGNED", async () => {
    const script = [
      "import sys, boto3",
      "from botocore import UNSIGNED",
      "from botocore.config import Config",
      "s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name=sys.argv[2], config=Config(signature_version=UNSIGNED))",
      "sys.stdout.write(s3.get_object(Bucket='sagemaker-sample-files', Key='datasets/tabular/synthetic/churn.txt')['Body'].read().decode())",
    ].join("\n");
    const read = await runCommand(DEBIAN_PYTHON, ["-c", script, aws.endpoint, aws.region], peerEnv);
    expect(read.stderr).toBe("");
    expect(read.stdout).toBe(churn);
  });
});

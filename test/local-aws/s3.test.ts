import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { connect } from "node:net";
import { Agent } from "node:http";
import type { LookupAddress } from "node:dns";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { AttachGroupPolicyCommand, CreatePolicyCommand, PutGroupPolicyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, ROLE_NAME, setUpCrossAccount } from "../helpers/cross-account-fixture.ts";
import { s3For } from "../helpers/s3.ts";
import { signedFetch, signedHeaders } from "../helpers/signed-fetch.ts";

const CUSTOMER_BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
const SAAS_BUCKET = `saas-autopilot-${SAAS_ACCOUNT_ID}`;
const TRAIN_KEY = "autopilot/train_data.csv";
const TRAIN_CSV = "State,Account Length,Churn?\nKS,128,False.\nOH,107,True.\n";

let aws: TestAws;
let dirs: string[] = [];
let saasUser: Credentials;
let role: Credentials;

async function assumeRole(): Promise<Credentials> {
  const { Credentials: c } = await clientsFor(aws, saasUser).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "s3", ExternalId: EXTERNAL_ID }));
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

/** The blog's S3 grants: the SaaS group may use its own bucket; the customer role may read SaaS objects (if a bucket policy lets it). */
async function grantS3(): Promise<void> {
  const saasIam = clientsFor(aws, aws.saas).iam;
  const { Policy } = await saasIam.send(
    new CreatePolicyCommand({
      PolicyName: "saas_s3",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:CreateBucket", "s3:ListBucket", "s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy", "s3:DeleteBucket"], Resource: `arn:aws:s3:::${SAAS_BUCKET}` },
          { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${SAAS_BUCKET}/*` },
          { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::sagemaker-*", "arn:aws:s3:::sagemaker-*/*"] },
        ],
      }),
    }),
  );
  await saasIam.send(new AttachGroupPolicyCommand({ GroupName: "AutopilotUsers", PolicyArn: Policy!.Arn! }));
  await clientsFor(aws, aws.customer).iam.send(
    new PutRolePolicyCommand({
      RoleName: ROLE_NAME,
      PolicyName: "customer_s3",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::${SAAS_BUCKET}`, `arn:aws:s3:::${SAAS_BUCKET}/*`] }],
      }),
    }),
  );
}

const policyFor = (principal: string, actions: string[], resources: string[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Temporary", Effect: "Allow", Principal: { AWS: principal }, Action: actions, Resource: resources }] });

async function startAws(stateDir?: string) {
  aws = await startTestAws(stateDir ? { stateDir } : {});
}

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), "s3-test-"));
  dirs.push(dir);
  await startAws(join(dir, "state"));
  ({ saasUser } = await setUpCrossAccount(aws));
  await grantS3();
  role = await assumeRole();
  await s3For(aws, saasUser).send(new CreateBucketCommand({ Bucket: SAAS_BUCKET }));
  await s3For(aws, saasUser).send(new PutObjectCommand({ Bucket: SAAS_BUCKET, Key: TRAIN_KEY, Body: TRAIN_CSV, ContentType: "text/csv" }));
});
afterEach(async () => {
  await aws.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

const read = async (credentials: Credentials, bucket: string, key: string) =>
  (await s3For(aws, credentials).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

describe("the blog's three ways of handing data to the job", () => {
  it("1. the assumed role uploads to the customer's default bucket", async () => {
    const s3 = s3For(aws, role);
    await s3.send(new CreateBucketCommand({ Bucket: CUSTOMER_BUCKET }));
    const put = await s3.send(new PutObjectCommand({ Bucket: CUSTOMER_BUCKET, Key: TRAIN_KEY, Body: TRAIN_CSV }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await read(role, CUSTOMER_BUCKET, TRAIN_KEY)).toBe(TRAIN_CSV);
    const buckets = await s3For(aws, role).send(new ListBucketsCommand({}));
    expect(buckets.Buckets!.map((b) => b.Name)).toEqual([CUSTOMER_BUCKET]);
  });

  it("2. a cross-account copy under a temporary bucket policy, which then stops working", async () => {
    await s3For(aws, role).send(new CreateBucketCommand({ Bucket: CUSTOMER_BUCKET }));
    const copy = () =>
      s3For(aws, role).send(new CopyObjectCommand({ Bucket: CUSTOMER_BUCKET, Key: "input/train.csv", CopySource: `${SAAS_BUCKET}/${TRAIN_KEY}` }));
    await expect(copy()).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });

    const saas = s3For(aws, saasUser);
    await saas.send(new PutBucketPolicyCommand({ Bucket: SAAS_BUCKET, Policy: policyFor(ROLE_ARN, ["s3:GetObject"], [`arn:aws:s3:::${SAAS_BUCKET}/${TRAIN_KEY}`]) }));
    try {
      const copied = await copy();
      expect(copied.CopyObjectResult!.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    } finally {
      await saas.send(new DeleteBucketPolicyCommand({ Bucket: SAAS_BUCKET }));
    }
    expect(await read(role, CUSTOMER_BUCKET, "input/train.csv")).toBe(TRAIN_CSV);
    await expect(copy()).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(saas.send(new GetBucketPolicyCommand({ Bucket: SAAS_BUCKET }))).rejects.toMatchObject({ name: "NoSuchBucketPolicy" });
  });

  it("3. the role lists and reads the SaaS bucket directly while ListBucket is granted", async () => {
    const saas = s3For(aws, saasUser);
    await saas.send(
      new PutBucketPolicyCommand({
        Bucket: SAAS_BUCKET,
        Policy: policyFor(ROLE_ARN, ["s3:GetObject", "s3:ListBucket"], [`arn:aws:s3:::${SAAS_BUCKET}`, `arn:aws:s3:::${SAAS_BUCKET}/*`]),
      }),
    );
    const listed = await s3For(aws, role).send(new ListObjectsV2Command({ Bucket: SAAS_BUCKET, Prefix: "autopilot/" }));
    expect(listed.Contents!.map((c) => [c.Key, c.Size])).toEqual([[TRAIN_KEY, TRAIN_CSV.length]]);
    expect(await read(role, SAAS_BUCKET, TRAIN_KEY)).toBe(TRAIN_CSV);
    await saas.send(new DeleteBucketPolicyCommand({ Bucket: SAAS_BUCKET }));
    await expect(s3For(aws, role).send(new ListObjectsV2Command({ Bucket: SAAS_BUCKET }))).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("cross-account denials", () => {
  it("the SaaS user cannot read the customer's bucket", async () => {
    await s3For(aws, role).send(new CreateBucketCommand({ Bucket: CUSTOMER_BUCKET }));
    await s3For(aws, role).send(new PutObjectCommand({ Bucket: CUSTOMER_BUCKET, Key: "secret.csv", Body: "x" }));
    await expect(read(saasUser, CUSTOMER_BUCKET, "secret.csv")).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(s3For(aws, saasUser).send(new ListObjectsV2Command({ Bucket: CUSTOMER_BUCKET }))).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("a bucket policy naming another principal grants the role nothing", async () => {
    // Another principal that exists: S3 refuses a bucket policy naming a user or role that does not (bucket-policy-principals.test.ts).
    await s3For(aws, saasUser).send(
      new PutBucketPolicyCommand({ Bucket: SAAS_BUCKET, Policy: policyFor(`arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/customer_config`, ["s3:GetObject"], [`arn:aws:s3:::${SAAS_BUCKET}/*`]) }),
    );
    await expect(read(role, SAAS_BUCKET, TRAIN_KEY)).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("only the owner's account may manage the bucket policy", async () => {
    await expect(s3For(aws, role).send(new GetBucketPolicyCommand({ Bucket: SAAS_BUCKET }))).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("objects", () => {
  it("answers 404 to callers who may list, 403 to others, for a missing key", async () => {
    await expect(s3For(aws, saasUser).send(new HeadObjectCommand({ Bucket: SAAS_BUCKET, Key: "missing" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(s3For(aws, saasUser).send(new GetObjectCommand({ Bucket: SAAS_BUCKET, Key: "missing" }))).rejects.toMatchObject({ name: "NoSuchKey" });
    await expect(s3For(aws, role).send(new GetObjectCommand({ Bucket: SAAS_BUCKET, Key: "missing" }))).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("serves ranges, metadata and checksums the SDK verifies", async () => {
    const s3 = s3For(aws, saasUser);
    await s3.send(new PutObjectCommand({ Bucket: SAAS_BUCKET, Key: "m.txt", Body: "0123456789", Metadata: { origin: "test" }, ChecksumAlgorithm: "SHA256" }));
    const part = await s3.send(new GetObjectCommand({ Bucket: SAAS_BUCKET, Key: "m.txt", Range: "bytes=2-5" }));
    expect(await part.Body!.transformToString()).toBe("2345");
    expect(part.ContentRange).toBe("bytes 2-5/10");
    const whole = await s3.send(new GetObjectCommand({ Bucket: SAAS_BUCKET, Key: "m.txt", ChecksumMode: "ENABLED" }));
    expect(whole.Metadata).toEqual({ origin: "test" });
    expect(whole.ChecksumSHA256).toBe(Buffer.from(await import("node:crypto").then((c) => c.createHash("sha256").update("0123456789").digest())).toString("base64"));
    expect(await whole.Body!.transformToString()).toBe("0123456789");
    await expect(s3.send(new GetObjectCommand({ Bucket: SAAS_BUCKET, Key: "m.txt", Range: "bytes=20-30" }))).rejects.toMatchObject({ name: "InvalidRange" });
  });

  it("lists with prefixes, delimiters and continuation", async () => {
    const s3 = s3For(aws, saasUser);
    for (const key of ["a/1", "a/2", "b/1", "b/2/x", "c"]) await s3.send(new PutObjectCommand({ Bucket: SAAS_BUCKET, Key: key, Body: key }));
    const top = await s3.send(new ListObjectsV2Command({ Bucket: SAAS_BUCKET, Delimiter: "/" }));
    expect(top.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["a/", "autopilot/", "b/"]);
    expect(top.Contents!.map((c) => c.Key)).toEqual(["c"]);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: SAAS_BUCKET, MaxKeys: 2, ContinuationToken: token }));
      keys.push(...page.Contents!.map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys).toEqual(["a/1", "a/2", TRAIN_KEY, "b/1", "b/2/x", "c"]);
  });

  it("deletes objects one by one and in batches, and buckets only when empty", async () => {
    const s3 = s3For(aws, saasUser);
    await s3.send(new PutObjectCommand({ Bucket: SAAS_BUCKET, Key: "x", Body: "x" }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: SAAS_BUCKET }))).rejects.toMatchObject({ name: "BucketNotEmpty" });
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: SAAS_BUCKET, Delete: { Objects: [{ Key: "x" }, { Key: TRAIN_KEY }] } }));
    expect(result.Deleted!.map((d) => d.Key).sort()).toEqual([TRAIN_KEY, "x"]);
    await s3.send(new DeleteObjectCommand({ Bucket: SAAS_BUCKET, Key: "already-gone" }));
    await s3.send(new DeleteBucketCommand({ Bucket: SAAS_BUCKET }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: SAAS_BUCKET }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it("multipart uploads through lib-storage", async () => {
    const body = Buffer.alloc(11 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
    const done = await new Upload({ client: s3For(aws, saasUser), params: { Bucket: SAAS_BUCKET, Key: "big.bin", Body: body }, partSize: 5 * 1024 * 1024 }).done();
    expect(done.ETag).toMatch(/-3"$/);
    const got = await s3For(aws, saasUser).send(new GetObjectCommand({ Bucket: SAAS_BUCKET, Key: "big.bin" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });
});

describe("addressing", () => {
  it("answers virtual-hosted requests (bucket.localhost) like path-style ones", async () => {
    const toLoopback = (_host: string, options: unknown, callback: unknown) => {
      const done = (typeof options === "function" ? options : callback) as (error: null, address: string | LookupAddress[], family?: number) => void;
      if ((options as { all?: boolean } | undefined)?.all) done(null, [{ address: "127.0.0.1", family: 4 }]);
      else done(null, "127.0.0.1", 4);
    };
    const virtual = new S3Client({
      endpoint: `http://localhost:${aws.port}`,
      region: aws.region,
      credentials: saasUser,
      maxAttempts: 1,
      forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: toLoopback as never }) }),
    });
    await virtual.send(new PutObjectCommand({ Bucket: SAAS_BUCKET, Key: "virtual/key.txt", Body: "hosted" }));
    const listed = await virtual.send(new ListObjectsV2Command({ Bucket: SAAS_BUCKET, Prefix: "virtual/" }));
    expect(listed.Contents!.map((c) => c.Key)).toEqual(["virtual/key.txt"]);
    expect(await read(saasUser, SAAS_BUCKET, "virtual/key.txt")).toBe("hosted");
  });
});

describe("buckets", () => {
  it("distinguishes a name taken by another account from one the caller owns", async () => {
    await expect(s3For(aws, role).send(new CreateBucketCommand({ Bucket: SAAS_BUCKET }))).rejects.toMatchObject({ name: "BucketAlreadyExists", $metadata: { httpStatusCode: 409 } });
    // us-east-1 answers its owner 200 for historical reasons; other regions say BucketAlreadyOwnedByYou.
    await expect(s3For(aws, saasUser).send(new CreateBucketCommand({ Bucket: SAAS_BUCKET }))).resolves.toBeDefined();
    const eu = new S3Client({ endpoint: aws.endpoint, region: "eu-west-1", credentials: saasUser, maxAttempts: 1, forcePathStyle: true });
    const create = () => eu.send(new CreateBucketCommand({ Bucket: `${SAAS_BUCKET}-eu`, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    await clientsFor(aws, aws.saas).iam.send(
      new PutGroupPolicyCommand({
        GroupName: "AutopilotUsers",
        PolicyName: "eu",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:CreateBucket", Resource: `arn:aws:s3:::${SAAS_BUCKET}-eu` }] }),
      }),
    );
    await create();
    await expect(create()).rejects.toMatchObject({ name: "BucketAlreadyOwnedByYou", $metadata: { httpStatusCode: 409 } });
    await expect(
      s3For(aws, saasUser).send(new CreateBucketCommand({ Bucket: `${SAAS_BUCKET}-eu`, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })),
    ).rejects.toMatchObject({ name: "IllegalLocationConstraintException" });
  });

  it("rejects invalid names, long keys and malformed policies with AWS's errors", async () => {
    const s3 = s3For(aws, saasUser);
    await expect(s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" }))).rejects.toMatchObject({ name: "InvalidBucketName", $metadata: { httpStatusCode: 400 } });
    await expect(s3.send(new PutObjectCommand({ Bucket: SAAS_BUCKET, Key: "k".repeat(1025), Body: "x" }))).rejects.toMatchObject({ name: "KeyTooLongError" });
    await expect(s3.send(new PutBucketPolicyCommand({ Bucket: SAAS_BUCKET, Policy: "{not json" }))).rejects.toMatchObject({ name: "MalformedPolicy" });
    await expect(
      s3.send(new PutBucketPolicyCommand({ Bucket: SAAS_BUCKET, Policy: policyFor(ROLE_ARN, ["s3:GetObject"], ["arn:aws:s3:::another-bucket/*"]) })),
    ).rejects.toMatchObject({ name: "MalformedPolicy", message: "Policy has invalid resource" });
  });
});

describe("bodies that do not arrive whole", () => {
  it("a truncated upload never becomes visible", async () => {
    const body = "a".repeat(1000);
    const signed = await signedHeaders(aws.endpoint, saasUser, "s3", {
      method: "PUT",
      path: `/${SAAS_BUCKET}/truncated.txt`,
      headers: { "content-length": String(body.length), "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
      body,
    });
    await new Promise<void>((done) => {
      const socket = connect(aws.port, "127.0.0.1", () => {
        socket.write(`PUT /${SAAS_BUCKET}/truncated.txt HTTP/1.1\r\n${Object.entries(signed).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body.slice(0, 400)}`);
        setTimeout(() => {
          socket.destroy();
          done();
        }, 100);
      });
    });
    await new Promise((wait) => setTimeout(wait, 100));
    await expect(s3For(aws, saasUser).send(new HeadObjectCommand({ Bucket: SAAS_BUCKET, Key: "truncated.txt" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it("a body that does not match its signed hash is refused", async () => {
    const answer = await signedFetch(aws.endpoint, saasUser, "s3", {
      method: "PUT",
      path: `/${SAAS_BUCKET}/tampered.txt`,
      headers: { "x-amz-content-sha256": "0".repeat(64) },
      body: "hello",
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>XAmzContentSHA256Mismatch</Code>");
    await expect(s3For(aws, saasUser).send(new HeadObjectCommand({ Bucket: SAAS_BUCKET, Key: "tampered.txt" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});

describe("persistence", () => {
  it("objects and bucket policies survive a restart", async () => {
    const stateDir = join(dirs[0]!, "state");
    await s3For(aws, saasUser).send(new PutBucketPolicyCommand({ Bucket: SAAS_BUCKET, Policy: policyFor(ROLE_ARN, ["s3:GetObject"], [`arn:aws:s3:::${SAAS_BUCKET}/*`]) }));
    await aws.stop();
    await startAws(stateDir);
    expect(await read(saasUser, SAAS_BUCKET, TRAIN_KEY)).toBe(TRAIN_CSV);
    expect(await read(role, SAAS_BUCKET, TRAIN_KEY)).toBe(TRAIN_CSV);
    const { Policy } = await s3For(aws, saasUser).send(new GetBucketPolicyCommand({ Bucket: SAAS_BUCKET }));
    expect(JSON.parse(Policy!).Statement[0].Sid).toBe("Temporary");
  });
});

describe("the sample bucket", () => {
  it("serves the churn data set publicly to principals allowed to read it", async () => {
    const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8");
    expect(await read(saasUser, "sagemaker-sample-files", "datasets/tabular/synthetic/churn.txt")).toBe(churn);
    expect(await read(role, "sagemaker-sample-files", "datasets/tabular/synthetic/churn.txt")).toBe(churn);
  });
});

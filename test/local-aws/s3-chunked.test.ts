import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { Readable } from "node:stream";
import { SignatureV4 } from "@smithy/signature-v4";
import { AttachUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { NodeSha256 } from "../../lib/local-aws/auth/node-hash.ts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { s3For } from "../helpers/s3.ts";

const BUCKET = "chunked-bodies";
let aws: TestAws;

beforeAll(async () => {
  aws = await startTestAws();
  await clientsFor(aws, aws.customer).iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
  await s3For(aws, aws.customer).send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => aws.stop());

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("aws-chunked request bodies", () => {
  it("a streamed body of known length: unsigned chunks with a CRC32 trailer, as the SDK sends it", async () => {
    const s3 = s3For(aws, aws.customer);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "streamed", Body: Readable.from([Buffer.from("hello "), Buffer.from("stream")]), ContentLength: 12 }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "streamed", ChecksumMode: "ENABLED" }));
    expect(got.ChecksumCRC32).toBe("gtnkmQ==");
    expect(await got.Body!.transformToString()).toBe("hello stream");
  });

  /** Sends `chunks` as STREAMING-AWS4-HMAC-SHA256-PAYLOAD, each chunk signed over the previous signature. */
  async function putSignedChunks(key: string, chunks: Buffer[], tamper?: (encoded: Buffer) => Buffer): Promise<{ status: number; body: string }> {
    const url = new URL(`/${BUCKET}/${key}`, aws.endpoint);
    const signingDate = new Date();
    const signer = new SignatureV4({ credentials: aws.customer, region: "us-east-1", service: "s3", sha256: NodeSha256, uriEscapePath: false });
    const decodedLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const all = [...chunks, Buffer.alloc(0)];
    const signatureLength = 64;
    const encodedLength = all.reduce((sum, chunk) => sum + chunk.length.toString(16).length + ";chunk-signature=".length + signatureLength + 4 + chunk.length, 0);
    const signed = await signer.sign(
      {
        method: "PUT",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: {
          host: url.host,
          "content-encoding": "aws-chunked",
          "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
          "x-amz-decoded-content-length": String(decodedLength),
          "content-length": String(encodedLength),
        },
      },
      { signingDate },
    );
    let previous = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization!)![1]!;
    const amzDate = signed.headers["x-amz-date"]!;
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const parts: Buffer[] = [];
    for (const chunk of all) {
      const stringToSign = ["AWS4-HMAC-SHA256-PAYLOAD", amzDate, scope, previous, sha256(""), sha256(chunk)].join("\n");
      previous = await signer.sign(stringToSign, { signingDate });
      parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk, Buffer.from("\r\n"));
    }
    const encoded = tamper ? tamper(Buffer.concat(parts)) : Buffer.concat(parts);
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { method: "PUT", headers: signed.headers }, (response) => {
        let body = "";
        response.on("data", (piece: Buffer) => (body += piece.toString()));
        response.on("end", () => resolve({ status: response.statusCode!, body }));
      });
      request.on("error", reject);
      request.end(encoded);
    });
  }

  it("signed chunks are verified one by one and decoded", async () => {
    const answer = await putSignedChunks("signed", [Buffer.alloc(70_000, "a"), Buffer.from("tail")]);
    expect(answer.status).toBe(200);
    const got = await s3For(aws, aws.customer).send(new GetObjectCommand({ Bucket: BUCKET, Key: "signed" }));
    const text = await got.Body!.transformToString();
    expect(text).toHaveLength(70_004);
    expect(text.endsWith("atail")).toBe(true);
  });

  it("a chunk changed in transit is refused and never becomes visible", async () => {
    const answer = await putSignedChunks("tampered", [Buffer.from("original data")], (encoded) => Buffer.from(encoded.toString("latin1").replace("original", "ORIGINAL"), "latin1"));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("<Code>SignatureDoesNotMatch</Code>");
    await expect(s3For(aws, aws.customer).send(new HeadObjectCommand({ Bucket: BUCKET, Key: "tampered" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });
});

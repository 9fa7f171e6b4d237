import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request as httpRequest } from "node:http";
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest } from "@smithy/types";
import { NodeSha256 } from "../../../lib/local-aws/auth/node-hash.ts";
import { startTestAws, type Credentials, type TestAws } from "../../helpers/local-aws.ts";
import { s3For, s3UserWithFullAccess } from "../../helpers/s3.ts";

const BUCKET = "sigv4-binding-bucket";
const OTHER_BUCKET = "sigv4-binding-other";

let aws: TestAws;
let user: Credentials;


beforeAll(async () => {
  aws = await startTestAws();
  user = await s3UserWithFullAccess(aws, "s3_user");
  const s3 = s3For(aws, user);
  for (const bucket of [BUCKET, OTHER_BUCKET]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "hello.txt", Body: "hello" }));
  await s3.send(new PutObjectCommand({ Bucket: OTHER_BUCKET, Key: "hello.txt", Body: "other" }));
});
afterAll(() => aws.stop());

interface Answer {
  status: number;
  body: string;
}

/** Sends exactly these headers (a header given several values goes out once per value) to the local server, whatever Host they name. */
function send(method: string, path: string, headers: Record<string, string | string[]>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: "127.0.0.1", port: aws.port, method, path, headers, setHost: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

function signer(service: string, credentials: Credentials = user, options: { applyChecksum?: boolean } = {}) {
  return new SignatureV4({ credentials, region: aws.region, service, sha256: NodeSha256, uriEscapePath: service !== "s3", ...options });
}

function unsignedRequest(method: string, host: string, path: string, headers: Record<string, string> = {}, query: Record<string, string> = {}): HttpRequest {
  return { method, protocol: "http:", hostname: host.replace(/:\d+$/, ""), path, query, headers: { host, ...headers } };
}

const hostPort = () => `127.0.0.1:${aws.port}`;

describe("SigV4: the host header", () => {
  it("refuses an STS request whose SignedHeaders leave out host", async () => {
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const request = { ...unsignedRequest("POST", hostPort(), "/", { "content-type": "application/x-www-form-urlencoded" }), body };
    const signed = await signer("sts").sign(request, { unsignableHeaders: new Set(["host"]) });
    expect(signed.headers.authorization).not.toMatch(/SignedHeaders=[^,]*host/);
    const answer = await send("POST", "/", signed.headers, body);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("<Code>IncompleteSignature</Code>");
    expect(answer.body).toContain("must be a &apos;SignedHeader&apos; in the AWS Authorization.");
  });

  it("refuses an S3 request whose SignedHeaders leave out host, naming it in HeadersNotSigned", async () => {
    const signed = await signer("s3").sign(unsignedRequest("GET", hostPort(), `/${BUCKET}/hello.txt`), { unsignableHeaders: new Set(["host"]) });
    const answer = await send("GET", `/${BUCKET}/hello.txt`, signed.headers);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("<Code>AccessDenied</Code>");
    expect(answer.body).toContain("<Message>There were headers present in the request which were not signed</Message>");
    expect(answer.body).toContain("<HeadersNotSigned>host</HeadersNotSigned>");
  });

  it("refuses a signed virtual-hosted request replayed at another bucket's host", async () => {
    const host = `${BUCKET}.localhost:${aws.port}`;
    const signed = await signer("s3").sign(unsignedRequest("GET", host, "/hello.txt"));
    expect(await send("GET", "/hello.txt", signed.headers)).toMatchObject({ status: 200, body: "hello" });
    const replayed = await send("GET", "/hello.txt", { ...signed.headers, host: `${OTHER_BUCKET}.localhost:${aws.port}` });
    expect(replayed.status).toBe(403);
    expect(replayed.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});

describe("SigV4 for S3: x-amz-content-sha256 and x-amz-* headers", () => {
  it("answers 400 InvalidRequest when x-amz-content-sha256 is missing", async () => {
    const signed = await signer("s3", user, { applyChecksum: false }).sign(unsignedRequest("GET", hostPort(), `/${BUCKET}/hello.txt`));
    expect(signed.headers["x-amz-content-sha256"]).toBeUndefined();
    const answer = await send("GET", `/${BUCKET}/hello.txt`, signed.headers);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>InvalidRequest</Code>");
    expect(answer.body).toContain("<Message>Missing required header for this request: x-amz-content-sha256</Message>");
  });

  it("refuses x-amz-content-sha256 or another x-amz-* header sent but not signed", async () => {
    const unsignable = new Set(["x-amz-content-sha256"]);
    const withoutHash = await signer("s3").sign(unsignedRequest("GET", hostPort(), `/${BUCKET}/hello.txt`, { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }), { unsignableHeaders: unsignable });
    const first = await send("GET", `/${BUCKET}/hello.txt`, withoutHash.headers);
    expect(first.status).toBe(403);
    expect(first.body).toContain("<HeadersNotSigned>x-amz-content-sha256</HeadersNotSigned>");

    const signed = await signer("s3").sign(unsignedRequest("GET", hostPort(), `/${BUCKET}/hello.txt`));
    const added = await send("GET", `/${BUCKET}/hello.txt`, { ...signed.headers, "x-amz-meta-added": "later" });
    expect(added.status).toBe(403);
    expect(added.body).toContain("<HeadersNotSigned>x-amz-meta-added</HeadersNotSigned>");
  });

  it("answers XAmzContentSHA256Mismatch when the body is not what the signed hash declares", async () => {
    const path = `/${BUCKET}/changed.txt`;
    const signed = await signer("s3").sign({ ...unsignedRequest("PUT", hostPort(), path, { "content-length": "8" }), body: "original" });
    const answer = await send("PUT", path, signed.headers, "tampered");
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>XAmzContentSHA256Mismatch</Code>");
  });
});

describe("SigV4: a header sent more than once", () => {
  it("is canonicalized as its values joined with a comma, as AWS does", async () => {
    // The client signs the header as "a,b" (its values, trimmed, joined by commas), then sends it twice.
    const signed = await signer("s3").sign(unsignedRequest("GET", hostPort(), "/", { "x-amz-meta-twice": "a,b" }));
    const headers = { ...signed.headers, "x-amz-meta-twice": ["a", "  b "] };
    const answer = await send("GET", "/", headers);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`<Name>${BUCKET}</Name>`);

    const other = await send("GET", "/", { ...signed.headers, "x-amz-meta-twice": ["a", "c"] });
    expect(other.status).toBe(403);
    expect(other.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });
});

describe("SigV4 for S3: the 15-minute window", () => {
  it("answers RequestTimeTooSkewed with RequestTime, ServerTime and MaxAllowedSkewMilliseconds", async () => {
    const signedAt = new Date(aws.clock.now().getTime() - 60 * 60 * 1000);
    const signed = await signer("s3").sign(unsignedRequest("GET", hostPort(), "/"), { signingDate: signedAt });
    const answer = await send("GET", "/", signed.headers);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("<Code>RequestTimeTooSkewed</Code>");
    expect(answer.body).toContain("<Message>The difference between the request time and the current time is too large.</Message>");
    expect(answer.body).toContain(`<RequestTime>${signed.headers["x-amz-date"]}</RequestTime>`);
    expect(answer.body).toMatch(/<ServerTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/ServerTime>/);
    expect(answer.body).toContain("<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>");
  });

  it("lets the SDK correct a clock an hour off the server's and succeed on retry", async () => {
    // The server's clock runs an hour ahead: to it, this process's clock (systemClockOffset 0) is an hour wrong.
    const ahead = await startTestAws();
    try {
      const credentials = await s3UserWithFullAccess(ahead, "s3_user");
      ahead.clock.advance(60 * 60 * 1000);
      const client = (maxAttempts: number) =>
        new S3Client({ endpoint: ahead.endpoint, region: ahead.region, credentials, forcePathStyle: true, maxAttempts, systemClockOffset: 0 });
      await expect(client(1).send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: "RequestTimeTooSkewed", $metadata: { httpStatusCode: 403 } });
      const corrected = client(3);
      await corrected.send(new CreateBucketCommand({ Bucket: BUCKET }));
      const listed = await corrected.send(new ListBucketsCommand({}));
      expect(listed.Buckets!.map((b) => b.Name)).toEqual([BUCKET]);
    } finally {
      await ahead.stop();
    }
  });
});

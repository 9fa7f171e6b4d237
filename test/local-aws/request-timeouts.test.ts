import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { AttachUserPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { s3For } from "../helpers/s3.ts";
import { formHeaders, signedHeaders } from "../helpers/signed-fetch.ts";

const IDLE_MS = 300;
const BUCKET = "slow-clients";
const S3_MESSAGE = "Your socket connection to the server was not read from or written to within the timeout period.";

let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws({ config: { requestIdleTimeoutMs: IDLE_MS } });
  await clientsFor(aws, aws.customer).iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
  await s3For(aws, aws.customer).send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => aws.stop());

interface Exchange {
  status: number;
  head: string;
  body: string;
  elapsedMs: number;
}

/** Sends `parts` over one connection, pausing `pauseMs` before each, and reads the answer until the server closes the connection. */
function exchange(parts: string[], pauseMs = 0): Promise<Exchange> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(aws.port, "127.0.0.1", async () => {
      for (const part of parts) {
        if (pauseMs) await sleep(pauseMs);
        if (!socket.writable) break;
        socket.write(part);
      }
    });
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (pauseMs && /\r\n\r\n/.test(received)) socket.end();
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = received.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]), head, body, elapsedMs: Date.now() - started });
    });
  });
}

async function requestHead(service: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<string> {
  const signed = await signedHeaders(aws.endpoint, aws.customer, service, { method, path, headers, body });
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(signed).map(([name, value]) => `${name}: ${value}`).join("\r\n")}\r\n\r\n`;
}

async function stillServing() {
  const identity = await clientsFor(aws, aws.customer).sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe("111111111111");
}

describe("slow clients get S3's 400 RequestTimeout after the idle timeout", () => {
  it("headers that never finish", async () => {
    const answer = await exchange([`PUT /${BUCKET}/key HTTP/1.1\r\nHost: 127.0.0.1\r\n`]);
    expect(answer.status).toBe(400);
    expect(answer.elapsedMs).toBeLessThan(5_000);
    expect(answer.head).toMatch(/content-type: application\/xml/i);
    expect(answer.body).toContain("<Code>RequestTimeout</Code>");
    expect(answer.body).toContain(S3_MESSAGE);
    await stillServing();
  });

  it("an S3 upload whose body stops arriving", async () => {
    const body = "x".repeat(1000);
    const head = await requestHead("s3", "PUT", `/${BUCKET}/stalled.txt`, { "content-length": String(body.length), "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }, body);
    const answer = await exchange([head + body.slice(0, 10)]);
    expect(answer.status).toBe(400);
    expect(answer.elapsedMs).toBeLessThan(5_000);
    expect(answer.head).toMatch(/x-amz-request-id: [0-9a-f-]{36}/i);
    expect(answer.body).toContain("<Code>RequestTimeout</Code>");
    expect(answer.body).toContain(S3_MESSAGE);
    await expect(s3For(aws, aws.customer).send(new GetObjectCommand({ Bucket: BUCKET, Key: "stalled.txt" }))).rejects.toMatchObject({ name: "NoSuchKey" });
  });

  it("an IAM (awsQuery) body that stops arriving gets the ErrorResponse shape", async () => {
    const body = `Action=ListUsers&Version=2010-05-08&Marker=${"m".repeat(500)}`;
    const head = await requestHead("iam", "POST", "/", { ...formHeaders, "content-length": String(body.length) }, body);
    const answer = await exchange([head + body.slice(0, 20)]);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<ErrorResponse");
    expect(answer.body).toContain("<Code>RequestTimeout</Code>");
    expect(answer.head).toMatch(/x-amzn-requestid: [0-9a-f-]{36}/i);
  });

  it("a SageMaker (awsJson) body that stops arriving gets the JSON error shape", async () => {
    const body = JSON.stringify({ NameContains: "x".repeat(500) });
    const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "SageMaker.ListEndpoints", "content-length": String(body.length) };
    const answer = await exchange([(await requestHead("sagemaker", "POST", "/", headers, body)) + body.slice(0, 20)]);
    expect(answer.status).toBe(400);
    expect(answer.head).toMatch(/x-amzn-errortype: RequestTimeout/i);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: "RequestTimeout" });
  });

  it("an upload that keeps moving is not cut off, however long it takes", async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => `chunk ${i}\n`);
    const body = chunks.join("");
    const head = await requestHead("s3", "PUT", `/${BUCKET}/slow.txt`, { "content-length": String(body.length), "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }, body);
    const answer = await exchange([head, ...chunks], IDLE_MS / 3);
    expect(answer.elapsedMs).toBeGreaterThan(2 * IDLE_MS);
    expect(answer.status).toBe(200);
    const object = await s3For(aws, aws.customer).send(new GetObjectCommand({ Bucket: BUCKET, Key: "slow.txt" }));
    expect(await object.Body!.transformToString()).toBe(body);
  });
});

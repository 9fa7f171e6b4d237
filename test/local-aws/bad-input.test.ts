import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Socket } from "node:net";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { formHeaders, signedFetch } from "../helpers/signed-fetch.ts";

let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws({ config: { maxBodyBytes: 64 * 1024 } });
});
afterAll(() => aws.stop());

const query = (service: string, body: string, headers: Record<string, string> = formHeaders) =>
  signedFetch(aws.endpoint, aws.customer, service, { body, headers });

function expectAwsError(answer: { status: number; body: string; headers: Headers }, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toContain("<ErrorResponse");
  expect(answer.body).toContain(`<Code>${code}</Code>`);
  expect(answer.body).toMatch(/<Type>(Sender|Receiver)<\/Type>/);
  expect(answer.body).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
}

async function stillServing() {
  const identity = await clientsFor(aws, aws.customer).sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe("111111111111");
}

describe("bad input gets AWS's error shape and a 4xx", () => {
  it("an unsigned request", async () => {
    const answer = await fetch(aws.endpoint, { method: "POST", headers: formHeaders, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expectAwsError({ status: answer.status, headers: answer.headers, body: await answer.text() }, 403, "MissingAuthenticationToken");
  });

  it("a malformed Authorization header", async () => {
    const answer = await fetch(aws.endpoint, { method: "POST", headers: { ...formHeaders, authorization: "AWS4-HMAC-SHA256 Credential=bogus" }, body: "Action=GetCallerIdentity" });
    expectAwsError({ status: answer.status, headers: answer.headers, body: await answer.text() }, 403, "IncompleteSignature");
  });

  it("an unknown action", async () => {
    expectAwsError(await query("sts", "Action=LaunchRockets&Version=2011-06-15"), 400, "InvalidAction");
  });

  it("no action at all", async () => {
    expectAwsError(await query("iam", "Version=2010-05-08"), 400, "MissingAction");
  });

  it("a service the local AWS does not have", async () => {
    expectAwsError(await query("dynamodb", "Action=ListTables"), 400, "UnrecognizedClientException");
  });

  it("a body that is not form-encoded", async () => {
    // Action in the query string makes it an awsQuery request; without, it would be a plain REST (S3) one.
    const answer = await signedFetch(aws.endpoint, aws.customer, "iam", { path: "/?Action=ListUsers", body: '{"Action":"ListUsers"}', headers: { "content-type": "application/json" } });
    expectAwsError(answer, 400, "InvalidParameterValue");
  });

  it("malformed list parameters", async () => {
    expectAwsError(await query("iam", "Action=CreateUser&Version=2010-05-08&UserName=x&Tags.member.abc.Key=k"), 400, "MalformedQueryString");
    expectAwsError(await query("iam", "Action=CreateUser&Version=2010-05-08&UserName=x&__proto__.polluted=1"), 400, "MalformedQueryString");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a body over the size limit, and the server keeps serving", async () => {
    expectAwsError(await query("iam", `Action=ListUsers&Junk=${"a".repeat(70 * 1024)}`), 413, "RequestEntityTooLarge");
    await stillServing();
  });

  it("a truncated request and raw garbage, and the server keeps serving", async () => {
    const { port } = aws;
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nAction=Get");
        socket.destroy();
        resolve();
      });
    });
    const garbage = await new Promise<string>((resolve) => {
      const socket: Socket = connect(port, "127.0.0.1", () => socket.write("\x00\x01 NOT HTTP AT ALL\r\n\r\n"));
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
    });
    expect(garbage).toMatch(/^HTTP\/1.1 400/);
    await stillServing();
  });

  it("answers health checks", async () => {
    const answer = await fetch(`${aws.endpoint}/_local/health`);
    expect(answer.status).toBe(200);
    const health = (await answer.json()) as { status: string; accounts: { id: string }[] };
    expect(health.status).toBe("ok");
    expect(health.accounts.map((a) => a.id)).toEqual(["111111111111", "222222222222"]);
    expect(JSON.stringify(health)).not.toMatch(/secret|AKIA/i);
  });
});

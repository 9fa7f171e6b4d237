import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { AttachUserPolicyCommand } from "@aws-sdk/client-iam";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { MAX_JSON_DEPTH } from "../../lib/local-aws/protocols/json-depth.ts";
import { formHeaders, signedFetch } from "../helpers/signed-fetch.ts";

let aws: TestAws;
beforeAll(async () => {
  aws = await startTestAws();
  const policyArn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess";
  await clientsFor(aws, aws.customer).iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: policyArn }));
});
afterAll(() => aws.stop());

const sageMaker = (target: string, body: string) =>
  signedFetch(aws.endpoint, aws.customer, "sagemaker", { body, headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `SageMaker.${target}` } });

async function stillServing() {
  const identity = await clientsFor(aws, aws.customer).sts.send(new GetCallerIdentityCommand({}));
  expect(identity.Account).toBe("111111111111");
}

describe("deeply nested input is a 400 in the protocol's error shape, never a 500", () => {
  it("awsJson: a 500,000-deep array in the body (these two answered 500 once)", async () => {
    const deep = `${"[".repeat(500_000)}${"]".repeat(500_000)}`;
    for (const [target, body] of [["DescribeEndpoint", `{"EndpointName":${deep}}`], ["ListEndpoints", `{"NameContains":${deep}}`], ["ListEndpoints", deep]]) {
      const answer = await sageMaker(target!, body!);
      expect(answer.status).toBe(400);
      expect(answer.headers.get("x-amzn-errortype")).toBe("SerializationException");
      expect(JSON.parse(answer.body)).toMatchObject({ __type: "SerializationException", message: expect.stringContaining(`more than ${MAX_JSON_DEPTH} deep`) });
    }
    await stillServing();
  });

  it("awsJson: nesting up to the limit is read", async () => {
    const nested = (depth: number) => `{"Ignored":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    const atLimit = await sageMaker("ListEndpoints", nested(MAX_JSON_DEPTH));
    expect(atLimit.status).toBe(200);
    const overLimit = await sageMaker("ListEndpoints", nested(MAX_JSON_DEPTH + 1));
    expect(overLimit.headers.get("x-amzn-errortype")).toBe("SerializationException");
    // Brackets inside strings, escaped quotes included, are not nesting.
    const inString = await sageMaker("ListEndpoints", JSON.stringify({ Ignored: `${"[".repeat(10_000)}"{` }));
    expect(inString.status).toBe(200);
  });

  it("awsQuery: a parameter name with 300,000 dots, for IAM and STS", async () => {
    const name = Array.from({ length: 300_001 }, () => "a").join(".");
    for (const [service, version] of [["iam", "2010-05-08"], ["sts", "2011-06-15"]] as const) {
      const answer = await signedFetch(aws.endpoint, aws.customer, service, { body: `Action=GetCallerIdentity&Version=${version}&${name}=1`, headers: formHeaders });
      expect(answer.status).toBe(400);
      expect(answer.body).toContain("<ErrorResponse");
      expect(answer.body).toContain("<Code>InvalidQueryParameter</Code>");
      expect(answer.body).toContain("<Type>Sender</Type>");
    }
    await stillServing();
  });

  it("awsQuery: a parameter name with too many parts, or too long", async () => {
    const parts = Array.from({ length: 40 }, (_, i) => `p${i}`).join(".");
    const many = await signedFetch(aws.endpoint, aws.customer, "iam", { body: `Action=ListUsers&Version=2010-05-08&${parts}=1`, headers: formHeaders });
    expect(many.status).toBe(400);
    expect(many.body).toContain("<Code>InvalidQueryParameter</Code>");
    const long = await signedFetch(aws.endpoint, aws.customer, "iam", { body: `Action=ListUsers&Version=2010-05-08&${"x".repeat(5000)}=1`, headers: formHeaders });
    expect(long.status).toBe(400);
    expect(long.body).toContain("<Code>InvalidQueryParameter</Code>");
  });
});

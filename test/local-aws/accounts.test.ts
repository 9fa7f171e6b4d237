import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startLocalAws, type LocalAws } from "../../lib/local-aws/index.ts";
import { STSClient } from "@aws-sdk/client-sts";

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({
    config: {
      region: "eu-west-1",
      accounts: [
        { id: "333333333333", alias: "customer", configUser: "customer_config" },
        { id: "444444444444", alias: "saas", configUser: "saas_config" },
      ],
    },
  });
});
afterAll(() => aws.stop());

describe("configured accounts", () => {
  it("bootstraps the configured account ids and region", async () => {
    expect(aws.region).toBe("eu-west-1");
    const sts = new STSClient({ endpoint: aws.endpoint, region: "eu-west-1", credentials: aws.credentials.saas_config!, maxAttempts: 1 });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe("arn:aws:iam::444444444444:user/saas_config");
  });

  it("accepts requests signed for any region", async () => {
    const sts = new STSClient({ endpoint: aws.endpoint, region: "ap-southeast-2", credentials: aws.credentials.customer_config!, maxAttempts: 1 });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("333333333333");
  });
});

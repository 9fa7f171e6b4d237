import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { startLocalAws, type LocalAws, type StartOptions } from "../../lib/local-aws/index.ts";

export type Credentials = AwsCredentialIdentity;

/** SDK clients against a running local AWS, with the given credentials (the customer's config user by default). */
export function clientsFor(aws: LocalAws, credentials: Credentials) {
  const common = {
    endpoint: aws.endpoint,
    region: aws.region,
    credentials,
    maxAttempts: 1,
    systemClockOffset: aws.clock.offset,
  };
  return { iam: new IAMClient(common), sts: new STSClient(common) };
}

export interface TestAws extends LocalAws {
  customer: Credentials;
  saas: Credentials;
}

export async function startTestAws(options: StartOptions = {}): Promise<TestAws> {
  const aws = await startLocalAws(options);
  return {
    ...aws,
    customer: aws.credentials.customer_config!,
    saas: aws.credentials.saas_config!,
  };
}

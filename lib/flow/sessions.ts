import "./quiet-sdk.ts";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** Where the flow runs: real AWS or the local one differ only in these settings. */
export interface Target {
  kind: "local" | "aws";
  region: string;
  /**
   * The endpoint every client of the run uses: the local AWS's, or the one `--endpoint-url` names.
   * Without it, real AWS's own endpoints for the region, whatever endpoint settings the environment
   * or the config file hold.
   */
  endpoint?: string;
  /** The shared credentials file the flow reads profiles from and writes the SaaS user's profile to. */
  credentialsFile: string;
  configFile?: string;
  /** The local AWS's delay before IAM changes take effect (`--iam-delay`), as real IAM's eventual consistency. */
  iamDelaySeconds?: number;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface Clients {
  iam: IAMClient;
  sts: STSClient;
  s3: S3Client;
  sagemaker: SageMakerClient;
  runtime: SageMakerRuntimeClient;
}

export function clientConfig(target: Target) {
  return { region: target.region, ...(target.endpoint ? { endpoint: target.endpoint } : { ignoreConfiguredEndpointUrls: true }) };
}

export function profileCredentials(target: Target, profile: string): AwsCredentialIdentityProvider {
  return fromIni({ profile, filepath: target.credentialsFile, configFilepath: target.configFile, ignoreCache: true });
}

/**
 * IAM's one endpoint takes signatures for us-east-1 only
 * (https://docs.aws.amazon.com/general/latest/gr/iam-service.html). The SDK signs so for AWS's own
 * endpoint whatever the client's region, but with the client's region for any other endpoint (the
 * local AWS's, `--endpoint-url`), so the IAM client is given IAM's region.
 */
const IAM_REGION = "us-east-1";

export function clientsFor(target: Target, credentials: Credentials): Clients {
  const common = { ...clientConfig(target), credentials };
  return {
    iam: new IAMClient({ ...common, region: IAM_REGION }),
    sts: new STSClient(common),
    // Bucket names as host names need DNS the local AWS and other endpoints by IP address do not have.
    // Redirects followed: a bucket in another region than the run's (the sample data set's is us-east-1) answers 301.
    s3: new S3Client({ ...common, forcePathStyle: target.endpoint !== undefined, followRegionRedirects: true }),
    sagemaker: new SageMakerClient(common),
    runtime: new SageMakerRuntimeClient(common),
  };
}

export async function accountIdOf(sts: STSClient): Promise<string> {
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (!Account) throw new Error("STS GetCallerIdentity answered without an account id");
  return Account;
}

import { S3Client } from "@aws-sdk/client-s3";
import type { Credentials, TestAws } from "./local-aws.ts";

export function s3For(aws: TestAws, credentials: Credentials): S3Client {
  return new S3Client({ endpoint: aws.endpoint, region: aws.region, credentials, maxAttempts: 1, forcePathStyle: true });
}

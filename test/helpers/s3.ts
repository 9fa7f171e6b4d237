import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { createUserWithKey } from "./cross-account-fixture.ts";
import { clientsFor, type Credentials, type TestAws } from "./local-aws.ts";

export function s3For(aws: TestAws, credentials: Credentials): S3Client {
  return new S3Client({ endpoint: aws.endpoint, region: aws.region, credentials, maxAttempts: 1, forcePathStyle: true });
}

/** A customer-account user allowed every S3 action, and its access key. */
export async function s3UserWithFullAccess(aws: TestAws, userName: string): Promise<Credentials> {
  const credentials = await createUserWithKey(aws, userName, aws.customer);
  await clientsFor(aws, aws.customer).iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: "s3",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
    }),
  );
  return credentials;
}

/** A customer-account user allowed every S3 action, owning a new bucket (in the server's region); its access key. */
export async function s3UserWithBucket(aws: TestAws, userName: string, bucket: string): Promise<Credentials> {
  const credentials = await s3UserWithFullAccess(aws, userName);
  await s3For(aws, credentials).send(new CreateBucketCommand({ Bucket: bucket }));
  return credentials;
}

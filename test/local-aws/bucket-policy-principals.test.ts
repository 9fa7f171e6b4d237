/**
 * Bucket policies keep the IAM users and roles they name by unique ID, as trust policies do: a
 * principal that does not exist is refused, one deleted is shown by its bare ID, and one recreated
 * under the same name is not granted until the policy is saved again.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-users
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteAccessKeyCommand, DeleteUserCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { GetBucketPolicyCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { createUserWithKey } from "../helpers/cross-account-fixture.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { AWS_CLI, mustHavePeers, peerClientsAvailable, peerEnvWith, runCommand } from "../helpers/peer-clients.ts";
import { s3For, s3UserWithBucket } from "../helpers/s3.ts";

const BUCKET = "policy-principals";
const READER_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/reader`;
const available = await peerClientsAvailable();

let aws: TestAws;
let owner: Credentials;
beforeAll(async () => {
  aws = await startTestAws();
  owner = await s3UserWithBucket(aws, "owner", BUCKET);
  await s3For(aws, owner).send(new PutObjectCommand({ Bucket: BUCKET, Key: "data.txt", Body: "data" }));
});
afterAll(() => aws.stop());

const grantTo = (principal: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Read", Effect: "Allow", Principal: { AWS: principal }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] });
const putPolicy = (policy: string) => s3For(aws, owner).send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy }));
const shownPolicy = async () => JSON.parse((await s3For(aws, owner).send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!) as { Statement: { Principal: { AWS: string } }[] };
const read = (credentials: Credentials) => s3For(aws, credentials).send(new GetObjectCommand({ Bucket: BUCKET, Key: "data.txt" }));

async function deleteUser(userName: string, accessKeyId: string): Promise<void> {
  const iam = clientsFor(aws, aws.customer).iam;
  await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
  await iam.send(new DeleteUserCommand({ UserName: userName }));
}

describe("a bucket policy naming IAM users and roles", () => {
  it("is refused with MalformedPolicy when one of this AWS's accounts has no such user or role", async () => {
    for (const principal of [`arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/nobody`, `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/no_role`]) {
      await expect(putPolicy(grantTo(principal))).rejects.toMatchObject({ name: "MalformedPolicy", message: "Invalid principal in policy", $metadata: { httpStatusCode: 400 } });
    }
    // An account the local AWS does not hold cannot be asked, so its principals are kept as written.
    await putPolicy(grantTo("arn:aws:iam::333333333333:user/elsewhere"));
    expect((await shownPolicy()).Statement[0]!.Principal.AWS).toBe("arn:aws:iam::333333333333:user/elsewhere");
  });

  it("grants the user it names, shows its ARN while it exists and its unique ID once deleted, and not a user recreated under its name", async () => {
    const reader = await createUserWithKey(aws, "reader", aws.customer);
    const { User } = await clientsFor(aws, aws.customer).iam.send(new GetUserCommand({ UserName: "reader" }));
    await putPolicy(grantTo(READER_ARN));
    expect(await (await read(reader)).Body!.transformToString()).toBe("data");
    expect((await shownPolicy()).Statement[0]!.Principal.AWS).toBe(READER_ARN);

    await deleteUser("reader", reader.accessKeyId);
    expect(User!.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect((await shownPolicy()).Statement[0]!.Principal.AWS).toBe(User!.UserId);

    const recreated = await createUserWithKey(aws, "reader", aws.customer);
    await expect(read(recreated)).rejects.toMatchObject({ name: "AccessDenied" });
    // Saving the policy again names the new user.
    await putPolicy(grantTo(READER_ARN));
    expect(await (await read(recreated)).Body!.transformToString()).toBe("data");
    await deleteUser("reader", recreated.accessKeyId);
  });

  it.runIf(available.cli || mustHavePeers())("reads back through `aws s3api get-bucket-policy` with the deleted user's unique ID", async () => {
    const gone = await createUserWithKey(aws, "gone", aws.customer);
    const { User } = await clientsFor(aws, aws.customer).iam.send(new GetUserCommand({ UserName: "gone" }));
    await putPolicy(grantTo(`arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/gone`));
    await deleteUser("gone", gone.accessKeyId);
    const answer = await runCommand(AWS_CLI, ["s3api", "get-bucket-policy", "--bucket", BUCKET, "--endpoint-url", aws.endpoint, "--region", aws.region, "--output", "json"], peerEnvWith(owner));
    expect(answer.stderr).toBe("");
    const policy = JSON.parse((JSON.parse(answer.stdout) as { Policy: string }).Policy) as { Statement: { Sid: string; Principal: { AWS: string } }[] };
    expect(policy.Statement).toEqual([expect.objectContaining({ Sid: "Read", Principal: { AWS: User!.UserId } })]);
  });
});

import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeleteUserCommand,
  DetachGroupPolicyCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { createIfMissing, ignoringGone } from "./aws-errors.ts";
import type { AccessKey } from "./credentials-file.ts";
import { deleteManagedPolicy, putManagedPolicy } from "./iam-policies.ts";
import { policyArn, roleArn, saasBucket, type FlowNames } from "./names.ts";
import { assumeRolePolicy, saasS3Policy } from "./policies.ts";

export interface SaasIamInput {
  names: FlowNames;
  region: string;
  customerAccountId: string;
  saasAccountId: string;
}

/** The SaaS side: group with `saas_assume_customer_role` and `saas_s3`, and the user in it. Re-running reuses them. */
export async function setUpSaasIam(iam: IAMClient, input: SaasIamInput): Promise<void> {
  const { names, saasAccountId } = input;
  await createIfMissing(() => iam.send(new CreateGroupCommand({ GroupName: names.group })));
  const documents = [
    [names.assumePolicy, assumeRolePolicy(roleArn(input.customerAccountId, names.role))],
    [names.saasPolicy, saasS3Policy(saasBucket(input.region, saasAccountId))],
  ] as const;
  for (const [name, document] of documents) {
    const arn = policyArn(saasAccountId, name);
    await putManagedPolicy(iam, arn, name, document);
    await iam.send(new AttachGroupPolicyCommand({ GroupName: names.group, PolicyArn: arn }));
  }
  await createIfMissing(() => iam.send(new CreateUserCommand({ UserName: names.user })));
  await iam.send(new AddUserToGroupCommand({ GroupName: names.group, UserName: names.user }));
}

async function deleteAccessKeys(iam: IAMClient, user: string): Promise<void> {
  const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: user }));
  for (const key of AccessKeyMetadata) await iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: key.AccessKeyId }));
}

/** A fresh access key for the user, replacing any it had (as the blog does on every run). */
export async function replaceAccessKey(iam: IAMClient, user: string): Promise<AccessKey> {
  await deleteAccessKeys(iam, user);
  const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
  if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error(`IAM created no access key for ${user}`);
  return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
}

/**
 * Removes the user (out of the group, `removeProfile` for its credentials profile, keys), then the
 * group and its policies; already gone is fine.
 */
export async function tearDownSaasIam(iam: IAMClient, names: FlowNames, saasAccountId: string, removeProfile: () => void): Promise<void> {
  await ignoringGone(() => iam.send(new RemoveUserFromGroupCommand({ GroupName: names.group, UserName: names.user })));
  removeProfile();
  await ignoringGone(async () => {
    await deleteAccessKeys(iam, names.user);
    await iam.send(new DeleteUserCommand({ UserName: names.user }));
  });
  await ignoringGone(async () => {
    const { AttachedPolicies = [] } = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: names.group }));
    for (const policy of AttachedPolicies) await iam.send(new DetachGroupPolicyCommand({ GroupName: names.group, PolicyArn: policy.PolicyArn }));
    const { PolicyNames = [] } = await iam.send(new ListGroupPoliciesCommand({ GroupName: names.group }));
    for (const name of PolicyNames) await iam.send(new DeleteGroupPolicyCommand({ GroupName: names.group, PolicyName: name }));
    await iam.send(new DeleteGroupCommand({ GroupName: names.group }));
  });
  for (const name of [names.assumePolicy, names.saasPolicy]) await deleteManagedPolicy(iam, policyArn(saasAccountId, name));
}

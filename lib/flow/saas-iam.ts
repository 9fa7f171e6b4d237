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
  ListGroupsForUserCommand,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { createIfMissing } from "./aws-errors.ts";
import { removing, type CleanupAction } from "./cleanup-report.ts";
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

/** The user: its access keys, its groups, then the user itself (IAM refuses to delete a user that has either). */
async function deleteUser(iam: IAMClient, user: string): Promise<void> {
  await deleteAccessKeys(iam, user);
  const { Groups = [] } = await iam.send(new ListGroupsForUserCommand({ UserName: user }));
  for (const group of Groups) await iam.send(new RemoveUserFromGroupCommand({ GroupName: group.GroupName, UserName: user }));
  await iam.send(new DeleteUserCommand({ UserName: user }));
}

/** The group: its attached and inline policies, then the group itself. */
async function deleteGroup(iam: IAMClient, group: string): Promise<void> {
  const { AttachedPolicies = [] } = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: group }));
  for (const policy of AttachedPolicies) await iam.send(new DetachGroupPolicyCommand({ GroupName: group, PolicyArn: policy.PolicyArn }));
  const { PolicyNames = [] } = await iam.send(new ListGroupPoliciesCommand({ GroupName: group }));
  for (const name of PolicyNames) await iam.send(new DeleteGroupPolicyCommand({ GroupName: group, PolicyName: name }));
  await iam.send(new DeleteGroupCommand({ GroupName: group }));
}

/**
 * The SaaS side's IAM as cleanup actions, each independent of the others: the user (with its keys),
 * `removeProfile` (its credentials profile), the group, its two policies. Unless `made` (the run
 * recorded setting them up), each is removed only if it is there.
 */
export function saasIamRemovals(iam: IAMClient, names: FlowNames, saasAccountId: () => Promise<string>, removeProfile: CleanupAction, made = false): CleanupAction[] {
  const actions: CleanupAction[] = [
    { what: `user ${names.user} and its access keys`, run: removing(() => deleteUser(iam, names.user)) },
    removeProfile,
    { what: `group ${names.group}`, run: removing(() => deleteGroup(iam, names.group)) },
    ...[names.assumePolicy, names.saasPolicy].map((name) => ({ what: `policy ${name}`, run: removing(async () => deleteManagedPolicy(iam, policyArn(await saasAccountId(), name))) })),
  ];
  return actions.map((action) => ({ ...action, ifPresent: !made }));
}

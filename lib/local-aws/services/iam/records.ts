/** New IAM records, with AWS-style unique ids (21 characters: a type prefix and 17 more). */
import type { PolicyDocument } from "../../auth/policy/types.ts";
import { awsId, newSecretAccessKey } from "../../auth/credentials.ts";
import { iamArn } from "./arns.ts";
import type { AccessKeyRecord, GroupRecord, ManagedPolicyRecord, RoleRecord, Tag, UserRecord } from "./model.ts";

const UNIQUE_ID_LENGTH = 21;

export function newUser(accountId: string, userName: string, path: string, tags: Tag[], now: Date): UserRecord {
  return {
    userName,
    userId: awsId("AIDA", UNIQUE_ID_LENGTH),
    path,
    arn: iamArn(accountId, "user", path, userName),
    createDate: now.toISOString(),
    tags,
    attachedPolicyArns: [],
    inlinePolicies: [],
  };
}

export function newGroup(accountId: string, groupName: string, path: string, now: Date): GroupRecord {
  return {
    groupName,
    groupId: awsId("AGPA", UNIQUE_ID_LENGTH),
    path,
    arn: iamArn(accountId, "group", path, groupName),
    createDate: now.toISOString(),
    memberNames: [],
    attachedPolicyArns: [],
    inlinePolicies: [],
  };
}

export interface NewRole {
  roleName: string;
  path: string;
  description?: string;
  maxSessionDuration: number;
  trustPolicyText: string;
  trustPolicy: PolicyDocument;
  tags: Tag[];
}

export function newRole(accountId: string, role: NewRole, now: Date): RoleRecord {
  return {
    roleName: role.roleName,
    roleId: awsId("AROA", UNIQUE_ID_LENGTH),
    path: role.path,
    arn: iamArn(accountId, "role", role.path, role.roleName),
    createDate: now.toISOString(),
    ...(role.description !== undefined ? { description: role.description } : {}),
    maxSessionDuration: role.maxSessionDuration,
    assumeRolePolicyDocument: role.trustPolicy,
    assumeRolePolicyText: role.trustPolicyText,
    tags: role.tags,
    attachedPolicyArns: [],
    inlinePolicies: [],
  };
}

export interface NewPolicy {
  policyName: string;
  path: string;
  description?: string;
  document: string;
  tags: Tag[];
}

export function newCustomerPolicy(accountId: string, policy: NewPolicy, now: Date): ManagedPolicyRecord {
  const createDate = now.toISOString();
  return {
    policyName: policy.policyName,
    policyId: awsId("ANPA", UNIQUE_ID_LENGTH),
    path: policy.path,
    arn: iamArn(accountId, "policy", policy.path, policy.policyName),
    ...(policy.description !== undefined ? { description: policy.description } : {}),
    createDate,
    updateDate: createDate,
    defaultVersionId: "v1",
    versions: [{ versionId: "v1", document: policy.document, createDate }],
    nextVersionNumber: 2,
    tags: policy.tags,
  };
}

export function newAccessKey(userName: string, now: Date): AccessKeyRecord {
  return {
    accessKeyId: awsId("AKIA"),
    secretAccessKey: newSecretAccessKey(),
    userName,
    status: "Active",
    createDate: now.toISOString(),
  };
}

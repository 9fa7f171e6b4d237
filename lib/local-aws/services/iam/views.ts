/** Records as IAM's API returns them: AWS's field names, Dates for timestamps, encoded documents. */
import { encodeDocument } from "./documents.ts";
import type { AccessKeyRecord, GroupRecord, ManagedPolicyRecord, PolicyVersionRecord, RoleRecord, Tag, UserRecord } from "./model.ts";

/** IAM leaves Tags out of list results and out of any result when there are none. */
const tagsField = (tags: Tag[], include: boolean) => (include && tags.length > 0 ? { Tags: tags } : {});

export const userView = (user: UserRecord, withTags = false) => ({
  Path: user.path,
  UserName: user.userName,
  UserId: user.userId,
  Arn: user.arn,
  CreateDate: new Date(user.createDate),
  ...tagsField(user.tags, withTags),
});

export const groupView = (group: GroupRecord) => ({
  Path: group.path,
  GroupName: group.groupName,
  GroupId: group.groupId,
  Arn: group.arn,
  CreateDate: new Date(group.createDate),
});

/** `detailed` for GetRole: tags and last use, which ListRoles leaves out. `trustPolicy`: as principal-ids.ts shows it. */
export const roleView = (role: RoleRecord, trustPolicy: string, detailed = false) => ({
  Path: role.path,
  RoleName: role.roleName,
  RoleId: role.roleId,
  Arn: role.arn,
  CreateDate: new Date(role.createDate),
  AssumeRolePolicyDocument: encodeDocument(trustPolicy),
  Description: role.description,
  MaxSessionDuration: role.maxSessionDuration,
  ...tagsField(role.tags, detailed),
  ...(detailed ? { RoleLastUsed: {} } : {}),
});

/** `detailed` for GetPolicy: description and tags, which ListPolicies leaves out. */
export const policyView = (policy: ManagedPolicyRecord, attachmentCount: number, detailed = false) => ({
  PolicyName: policy.policyName,
  PolicyId: policy.policyId,
  Arn: policy.arn,
  Path: policy.path,
  DefaultVersionId: policy.defaultVersionId,
  AttachmentCount: attachmentCount,
  PermissionsBoundaryUsageCount: 0,
  IsAttachable: true,
  ...(detailed ? { Description: policy.description } : {}),
  CreateDate: new Date(policy.createDate),
  UpdateDate: new Date(policy.updateDate),
  ...tagsField(policy.tags, detailed),
});

export const policyVersionView = (policy: ManagedPolicyRecord, version: PolicyVersionRecord, withDocument = false) => ({
  ...(withDocument ? { Document: encodeDocument(version.document) } : {}),
  VersionId: version.versionId,
  IsDefaultVersion: version.versionId === policy.defaultVersionId,
  CreateDate: new Date(version.createDate),
});

export const accessKeyMetadataView = (key: AccessKeyRecord) => ({
  UserName: key.userName,
  AccessKeyId: key.accessKeyId,
  Status: key.status,
  CreateDate: new Date(key.createDate),
});

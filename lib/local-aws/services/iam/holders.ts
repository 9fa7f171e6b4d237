/**
 * Users, groups and roles as policy holders: what differs between the three kinds, and finding one
 * by name for an operation (authorized on its ARN, NoSuchEntity when missing).
 */
import { POLICY_SIZE_LIMITS } from "../../auth/policy/index.ts";
import type { ConditionContext } from "../../auth/policy/types.ts";
import { noSuchEntity } from "../../errors.ts";
import type { OperationContext, OperationInput } from "../../service.ts";
import { iamArn } from "./arns.ts";
import { sameName, type GroupRecord, type IamEntities, type PolicyHolder, type RoleRecord, type Tag, type UserRecord } from "./model.ts";
import { resourceTagContext } from "./tags.ts";
import { GROUP_NAME, requiredText, ROLE_NAME, USER_NAME, type TextConstraint } from "./validation.ts";

export interface HolderKind<R extends PolicyHolder> {
  /** The word in IAM's action names: AttachUserPolicy, PutGroupPolicy, ListRoleTags ... */
  noun: "User" | "Group" | "Role";
  resourceType: "user" | "group" | "role";
  nameParam: "UserName" | "GroupName" | "RoleName";
  nameConstraint: TextConstraint;
  records(state: IamEntities): R[];
  nameOf(record: R): string;
  tagsOf(record: R): Tag[];
  /** Quota on the summed size of a holder's inline policies (white space not counted). */
  inlinePolicySizeLimit: number;
}

export const USERS: HolderKind<UserRecord> = {
  noun: "User",
  resourceType: "user",
  nameParam: "UserName",
  nameConstraint: USER_NAME,
  records: (state) => state.users,
  nameOf: (user) => user.userName,
  tagsOf: (user) => user.tags,
  inlinePolicySizeLimit: POLICY_SIZE_LIMITS.userInlinePolicies,
};

export const GROUPS: HolderKind<GroupRecord> = {
  noun: "Group",
  resourceType: "group",
  nameParam: "GroupName",
  nameConstraint: GROUP_NAME,
  records: (state) => state.groups,
  nameOf: (group) => group.groupName,
  tagsOf: () => [],
  inlinePolicySizeLimit: POLICY_SIZE_LIMITS.groupInlinePolicies,
};

export const ROLES: HolderKind<RoleRecord> = {
  noun: "Role",
  resourceType: "role",
  nameParam: "RoleName",
  nameConstraint: ROLE_NAME,
  records: (state) => state.roles,
  nameOf: (role) => role.roleName,
  tagsOf: (role) => role.tags,
  inlinePolicySizeLimit: POLICY_SIZE_LIMITS.roleInlinePolicies,
};

export const readHolderName = <R extends PolicyHolder>(input: OperationInput, kind: HolderKind<R>): string =>
  requiredText(input, kind.nameParam, kind.nameConstraint);

export const findHolder = <R extends PolicyHolder>(state: IamEntities, kind: HolderKind<R>, name: string): R | undefined =>
  kind.records(state).find((record) => sameName(kind.nameOf(record), name));

export const noSuchHolder = <R extends PolicyHolder>(kind: HolderKind<R>, name: string) =>
  noSuchEntity(`The ${kind.resourceType} with name ${name} cannot be found.`);

/**
 * Authorizes `action` on the named user, group or role, then returns it or throws NoSuchEntity.
 * The resource is its ARN, path included; for a missing one, the ARN it would have at the root path.
 */
export function requireHolder<R extends PolicyHolder>(
  ctx: OperationContext,
  state: IamEntities,
  kind: HolderKind<R>,
  name: string,
  action: string,
  context: ConditionContext = {},
): R {
  const record = findHolder(state, kind, name);
  ctx.authorize({
    action,
    resource: record?.arn ?? iamArn(ctx.principal.accountId, kind.resourceType, "/", name),
    context: { ...(record ? resourceTagContext(kind.tagsOf(record)) : {}), ...context },
  });
  if (!record) throw noSuchHolder(kind, name);
  return record;
}

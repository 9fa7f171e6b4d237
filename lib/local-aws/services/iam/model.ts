/** IAM's state per account: plain JSON, persisted by the Store. */
import type { PolicyDocument } from "../../auth/policy/types.ts";
import type { OperationContext } from "../../service.ts";
import type { Store, StoreTable } from "../../store/store.ts";
import { withPropagationDelay } from "./propagation.ts";

export interface Tag {
  Key: string;
  Value: string;
}

export interface InlinePolicy {
  policyName: string;
  /** The document as submitted. */
  document: string;
}

/** What users, groups and roles share: policies attach to them and are embedded in them. */
export interface PolicyHolder {
  path: string;
  arn: string;
  /** ISO 8601. */
  createDate: string;
  attachedPolicyArns: string[];
  inlinePolicies: InlinePolicy[];
}

export interface UserRecord extends PolicyHolder {
  userName: string;
  userId: string;
  tags: Tag[];
}

export interface GroupRecord extends PolicyHolder {
  groupName: string;
  groupId: string;
  /** Names of the member users, as they were created. */
  memberNames: string[];
}

export interface RoleRecord extends PolicyHolder {
  roleName: string;
  roleId: string;
  description?: string;
  /** Seconds, 3600 to 43200. */
  maxSessionDuration: number;
  /** The trust policy, parsed, with users and roles by unique ID (principal-ids.ts): what STS evaluates. */
  assumeRolePolicyDocument: PolicyDocument;
  /** The trust policy as submitted: what GetRole returns. */
  assumeRolePolicyText: string;
  tags: Tag[];
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: string;
}

export interface ManagedPolicyRecord {
  policyName: string;
  policyId: string;
  path: string;
  arn: string;
  description?: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  versions: PolicyVersionRecord[];
  /** Version ids are never reused: v3 follows v2 even after v2 is deleted. */
  nextVersionNumber: number;
  tags: Tag[];
}

export type AccessKeyStatus = "Active" | "Inactive";

export interface AccessKeyUsage {
  date: string;
  serviceName: string;
  region: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: string;
  lastUsed?: AccessKeyUsage;
}

/** Lists rather than maps keyed by name: names like "constructor" or "__proto__" are valid IAM names. */
export interface IamEntities {
  users: UserRecord[];
  groups: GroupRecord[];
  roles: RoleRecord[];
  /** Customer managed policies; AWS managed ones live in managed-policies.ts. */
  policies: ManagedPolicyRecord[];
  accessKeys: AccessKeyRecord[];
}

/** A change still propagating (LocalAwsConfig.iamDelaySeconds): the entities as they were before it, and when it takes effect. */
export interface PendingChange {
  /** ISO 8601. */
  effectiveAt: string;
  before: IamEntities;
}

export interface IamState extends IamEntities {
  /** Oldest first; absent when every change is in effect. */
  pendingChanges?: PendingChange[];
}

export const iamTable = (store: Store): StoreTable<IamState> =>
  store.table<IamState>("iam", () => ({ users: [], groups: [], roles: [], policies: [], accessKeys: [] }));

/** The caller's account state, read-only. */
export const readIam = (ctx: OperationContext): IamState => iamTable(ctx.store).read(ctx.principal.accountId);

/**
 * Changes the caller's account state atomically: nothing is kept if `mutate` throws. IAM's own API
 * sees the change at once; authorization after `config.iamDelaySeconds` (propagation.ts).
 */
export const updateIam = <R>(ctx: OperationContext, mutate: (state: IamState) => R): R =>
  iamTable(ctx.store).update(ctx.principal.accountId, (state) => withPropagationDelay(state, ctx.now(), ctx.config.iamDelaySeconds, mutate));

/** IAM names (users, groups, roles, policies) are unique regardless of case. */
export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export const groupsOfUser = (state: IamEntities, userName: string): GroupRecord[] =>
  state.groups.filter((group) => group.memberNames.some((member) => sameName(member, userName)));

export const accessKeysOfUser = (state: IamEntities, userName: string): AccessKeyRecord[] =>
  state.accessKeys.filter((key) => sameName(key.userName, userName));

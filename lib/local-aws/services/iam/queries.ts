/**
 * What the rest of the local AWS asks of IAM's state: authentication, authorization, STS and start-up.
 * Authentication and authorization see what is in effect at `now` (propagation.ts), not the latest changes.
 */
import type { PolicyDocument } from "../../auth/policy/types.ts";
import type { Store } from "../../store/store.ts";
import { parseRoleArn } from "./arns.ts";
import { storedDocument } from "./documents.ts";
import { findHolder, ROLES, USERS } from "./holders.ts";
import { IAM_FULL_ACCESS_ARN } from "./managed-policies.ts";
import { accessKeysOfUser, groupsOfUser, iamTable, type AccessKeyStatus, type IamEntities, type PolicyHolder, type RoleRecord } from "./model.ts";
import { defaultVersion, findManagedPolicy } from "./policy-records.ts";
import { effectiveEntities } from "./propagation.ts";
import { newAccessKey, newUser } from "./records.ts";

export interface AccessKeyOwner {
  accountId: string;
  userName: string;
  userId: string;
  userArn: string;
  secretAccessKey: string;
  status: AccessKeyStatus;
}

/** The user a long-term access key belongs to, searched in the given accounts. */
export function findAccessKey(store: Store, accountIds: readonly string[], accessKeyId: string, now: Date): AccessKeyOwner | undefined {
  for (const accountId of accountIds) {
    const state = entitiesInEffect(store, accountId, now);
    const key = state.accessKeys.find((candidate) => candidate.accessKeyId === accessKeyId);
    const user = key && findHolder(state, USERS, key.userName);
    if (key && user) {
      return { accountId, userName: user.userName, userId: user.userId, userArn: user.arn, secretAccessKey: key.secretAccessKey, status: key.status };
    }
  }
  return undefined;
}

const LAST_USED_GRANULARITY_MS = 60_000;

/** Records a key's use (GetAccessKeyLastUsed reports it); writes at most once a minute per key, service and region. */
export function touchAccessKeyLastUsed(store: Store, accountId: string, accessKeyId: string, use: { serviceName: string; region: string }, now: Date): void {
  const table = iamTable(store);
  const key = table.read(accountId).accessKeys.find((candidate) => candidate.accessKeyId === accessKeyId);
  const last = key?.lastUsed;
  const recent = last !== undefined && last.serviceName === use.serviceName && last.region === use.region && now.getTime() - Date.parse(last.date) < LAST_USED_GRANULARITY_MS;
  if (!key || recent) return;
  table.update(accountId, (state) => {
    const stored = state.accessKeys.find((candidate) => candidate.accessKeyId === accessKeyId);
    if (stored) stored.lastUsed = { date: now.toISOString(), ...use };
  });
}

const entitiesInEffect = (store: Store, accountId: string, now: Date): IamEntities => effectiveEntities(iamTable(store).read(accountId), now);

function holderPolicies(state: IamEntities, accountId: string, holder: PolicyHolder): PolicyDocument[] {
  const inline = holder.inlinePolicies.map((policy) => storedDocument(policy.document));
  const attached = holder.attachedPolicyArns.flatMap((arn) => {
    const policy = findManagedPolicy(state, accountId, arn);
    return policy ? [storedDocument(defaultVersion(policy).document)] : [];
  });
  return [...inline, ...attached];
}

/**
 * The user's identity-based policies: inline and attached (default versions), its groups' too. By
 * unique ID: a user deleted and recreated under the same name is another user.
 */
export function userIdentityPolicies(store: Store, accountId: string, userId: string, now: Date): PolicyDocument[] {
  const state = entitiesInEffect(store, accountId, now);
  const user = state.users.find((candidate) => candidate.userId === userId);
  if (!user) return [];
  return [user, ...groupsOfUser(state, user.userName)].flatMap((holder) => holderPolicies(state, accountId, holder));
}

/**
 * The role's identity-based policies: inline and attached (default versions). A session belongs to
 * its role's unique ID: once the role is deleted it has no permissions, even if a role of the same
 * name is created again (principal-ids.ts).
 */
export function roleIdentityPolicies(store: Store, accountId: string, roleId: string, now: Date): PolicyDocument[] {
  const state = entitiesInEffect(store, accountId, now);
  const role = state.roles.find((candidate) => candidate.roleId === roleId);
  return role ? holderPolicies(state, accountId, role) : [];
}

/** The role, with its parsed trust policy in `assumeRolePolicyDocument`. Treat it as read-only. */
export function findRole(store: Store, accountId: string, roleName: string, now: Date): RoleRecord | undefined {
  return findHolder(entitiesInEffect(store, accountId, now), ROLES, roleName);
}

/** The role a role ARN names (path included), in any account that has IAM state. */
export function findRoleByArn(store: Store, arn: string, now: Date): RoleRecord | undefined {
  const parsed = parseRoleArn(arn);
  if (!parsed || !iamTable(store).accounts().includes(parsed.accountId)) return undefined;
  const role = findRole(store, parsed.accountId, parsed.name, now);
  return role && role.arn.toLowerCase() === arn.toLowerCase() ? role : undefined;
}

/**
 * Makes sure the account has its configuration user, with the AWS managed policy IAMFullAccess and
 * an active access key, and returns that key. Running it again changes nothing.
 */
export function bootstrapAccount(store: Store, accountId: string, configUserName: string, now = new Date()): { accessKeyId: string; secretAccessKey: string } {
  return iamTable(store).update(accountId, (state) => {
    let user = findHolder(state, USERS, configUserName);
    if (!user) {
      user = newUser(accountId, configUserName, "/", [], now);
      user.attachedPolicyArns.push(IAM_FULL_ACCESS_ARN);
      state.users.push(user);
    }
    let key = accessKeysOfUser(state, user.userName).find((candidate) => candidate.status === "Active");
    if (!key) {
      key = newAccessKey(user.userName, now);
      state.accessKeys.push(key);
    }
    return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  });
}

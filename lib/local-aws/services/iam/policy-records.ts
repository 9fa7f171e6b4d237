/** Managed policies as attachable things: customer managed ones of the account, and AWS managed ones. */
import { AWS_MANAGED_ACCOUNT, parsePolicyArn } from "./arns.ts";
import { findAwsManagedPolicy } from "./managed-policies.ts";
import type { IamEntities, ManagedPolicyRecord, PolicyHolder, PolicyVersionRecord } from "./model.ts";

export const isAwsManaged = (policy: ManagedPolicyRecord): boolean => parsePolicyArn(policy.arn)?.accountId === AWS_MANAGED_ACCOUNT;

/** The policy an ARN names, if `accountId` can attach it: its own customer managed policies and AWS managed ones. */
export function findManagedPolicy(state: IamEntities, accountId: string, arn: string): ManagedPolicyRecord | undefined {
  const parsed = parsePolicyArn(arn);
  if (!parsed) return undefined;
  if (parsed.accountId === AWS_MANAGED_ACCOUNT) return findAwsManagedPolicy(arn);
  if (parsed.accountId !== accountId) return undefined;
  // Policy names are case-insensitive, like every IAM name.
  return state.policies.find((policy) => policy.arn.toLowerCase() === arn.toLowerCase());
}

const policyHolders = (state: IamEntities): PolicyHolder[] => [...state.users, ...state.groups, ...state.roles];

export const attachmentCount = (state: IamEntities, policyArn: string): number =>
  policyHolders(state).filter((holder) => holder.attachedPolicyArns.includes(policyArn)).length;

export function defaultVersion(policy: ManagedPolicyRecord): PolicyVersionRecord {
  const version = policy.versions.find((candidate) => candidate.versionId === policy.defaultVersionId);
  if (!version) throw new Error(`policy ${policy.arn} has no version ${policy.defaultVersionId}`);
  return version;
}

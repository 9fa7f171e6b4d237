/**
 * IAM quotas on policy size ("IAM and AWS STS quotas"), in characters. IAM does not count white space
 * against them. The inline-policy quotas are per entity, summed over all its inline policies.
 */
export const POLICY_SIZE_LIMITS = {
  managedPolicy: 6144,
  roleTrustPolicy: 2048,
  userInlinePolicies: 2048,
  groupInlinePolicies: 5120,
  roleInlinePolicies: 10240,
} as const;

/** Size of a policy document as IAM counts it against its quotas. */
export function policySize(text: string): number {
  return text.replace(/\s/g, "").length;
}

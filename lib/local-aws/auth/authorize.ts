import { accessDenied } from "../errors.ts";
import type { Principal } from "../principal.ts";
import type { AuthorizationCheck } from "../service.ts";
import type { Store } from "../store/store.ts";
import { roleIdentityPolicies, userIdentityPolicies } from "../services/iam/queries.ts";
import { evaluate } from "./policy/evaluate.ts";
import type { ConditionContext, EvaluationResult, PolicyDocument, RequestPrincipal } from "./policy/types.ts";

export interface RequestFacts {
  principal: Principal;
  region: string;
  sourceIp: string;
  secureTransport: boolean;
  now: Date;
}

/** Decides a check for an authenticated caller with AWS's evaluation logic; throws AccessDenied naming principal, action and resource. */
export function authorize(store: Store, facts: RequestFacts, check: AuthorizationCheck): void {
  const { principal } = facts;
  const requestPrincipal: RequestPrincipal = {
    type: "AWS",
    arn: principal.arn,
    accountId: principal.accountId,
    ...(principal.roleArn ? { roleArn: principal.roleArn } : {}),
  };
  const context = { ...globalConditionKeys(facts), ...check.context };
  const base = {
    principal: requestPrincipal,
    action: check.action,
    resource: check.resource,
    resourceAccount: check.resourceAccount ?? principal.accountId,
    context,
    ...(check.resourcePolicy ? { resourcePolicy: check.resourcePolicy } : {}),
  };
  const result = evaluate({ ...base, identityPolicies: identityPolicies(store, principal, facts.now) });
  if (result.decision !== "Allow") throw accessDenied(deniedMessage(principal, check, denialReason(result, check.action)));

  if (principal.sessionPolicy) {
    const { resourcePolicy: _ignored, ...withoutResourcePolicy } = base;
    const limited = evaluate({ ...withoutResourcePolicy, resourceAccount: principal.accountId, identityPolicies: [principal.sessionPolicy] });
    if (limited.decision !== "Allow") throw accessDenied(deniedMessage(principal, check, `because no session policy allows the ${check.action} action`));
  }
}

/** The principal's identity-based policies as in effect at `now` (IAM changes may still be propagating). */
export function identityPolicies(store: Store, principal: Principal, now: Date): PolicyDocument[] {
  if (principal.kind === "user") return userIdentityPolicies(store, principal.accountId, principal.userName!, now);
  return roleIdentityPolicies(store, principal.accountId, principal.roleName!, now);
}

/** AWS's wording: "User: ARN is not authorized to perform: ACTION on resource: ARN because ...". */
export function deniedMessage(principal: Principal, check: AuthorizationCheck, reason: string): string {
  return `User: ${principal.arn} is not authorized to perform: ${check.action} on resource: ${check.resource} ${reason}`;
}

function denialReason(result: EvaluationResult, action: string): string {
  if (result.decision === "ExplicitDeny") {
    const where = result.explicitDenyIn ?? "identity-based policy";
    return `with an explicit deny in ${/^[aeiou]/.test(where) ? "an" : "a"} ${where}`;
  }
  return `because no ${result.deniedBy ?? "identity-based policy"} allows the ${action} action`;
}

function globalConditionKeys({ principal, region, sourceIp, secureTransport, now }: RequestFacts): ConditionContext {
  const isSession = principal.kind === "assumed-role";
  return {
    "aws:PrincipalArn": isSession ? principal.roleArn : principal.arn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": isSession ? "AssumedRole" : "User",
    "aws:userid": principal.userId,
    "aws:username": isSession ? undefined : principal.userName,
    "aws:RequestedRegion": region,
    "aws:SourceIp": sourceIp,
    "aws:SecureTransport": String(secureTransport),
    "aws:CurrentTime": now.toISOString(),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    "aws:MultiFactorAuthPresent": isSession ? "false" : undefined,
    "aws:TokenIssueTime": principal.issuedAt,
  };
}

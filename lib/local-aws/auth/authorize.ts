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
    uniqueId: principal.kind === "user" ? principal.userId : principal.roleId!,
    ...(principal.roleArn ? { roleArn: principal.roleArn } : {}),
  };
  const context = { ...globalConditionKeys(facts), ...check.context };
  const base = {
    principal: requestPrincipal,
    action: check.action,
    resource: check.resource,
    // The anonymous principal has no account and no identity policies: a resource policy alone grants
    // it, as the engine grants a request within the resource's account (no resource account given).
    ...(principal.kind === "anonymous" ? {} : { resourceAccount: check.resourceAccount ?? principal.accountId }),
    context,
    ...(check.resourcePolicy ? { resourcePolicy: check.resourcePolicy } : {}),
  };
  const result = evaluate({ ...base, identityPolicies: identityPolicies(store, principal, facts.now) });
  if (result.decision !== "Allow") throw accessDenied(deniedMessage(principal, check, denialReason(result, check.action, principal)));

  if (principal.sessionPolicy) {
    const { resourcePolicy: _ignored, ...withoutResourcePolicy } = base;
    const limited = evaluate({ ...withoutResourcePolicy, resourceAccount: principal.accountId, identityPolicies: [principal.sessionPolicy] });
    if (limited.decision !== "Allow") throw accessDenied(deniedMessage(principal, check, `because no session policy allows the ${check.action} action`));
  }
}

/** The principal's identity-based policies as in effect at `now` (IAM changes may still be propagating). */
export function identityPolicies(store: Store, principal: Principal, now: Date): PolicyDocument[] {
  if (principal.kind === "anonymous") return [];
  if (principal.kind === "user") return userIdentityPolicies(store, principal.accountId, principal.userId, now);
  return roleIdentityPolicies(store, principal.accountId, principal.roleId!, now);
}

/** AWS's wording: "User: ARN is not authorized to perform: ACTION on resource: ARN because ...". */
export function deniedMessage(principal: Principal, check: AuthorizationCheck, reason: string): string {
  return `User: ${principal.arn} is not authorized to perform: ${check.action} on resource: ${check.resource} ${reason}`;
}

/** Only a resource policy could have granted the anonymous principal, so that is what AWS names. */
function denialReason(result: EvaluationResult, action: string, principal: Principal): string {
  if (result.decision === "ExplicitDeny") {
    const where = result.explicitDenyIn ?? "identity-based policy";
    return `with an explicit deny in ${/^[aeiou]/.test(where) ? "an" : "a"} ${where}`;
  }
  const deniedBy = principal.kind === "anonymous" ? "resource-based policy" : (result.deniedBy ?? "identity-based policy");
  return `because no ${deniedBy} allows the ${action} action`;
}

function globalConditionKeys({ principal, region, sourceIp, secureTransport, now }: RequestFacts): ConditionContext {
  const isSession = principal.kind === "assumed-role";
  const anonymous = principal.kind === "anonymous";
  return {
    "aws:PrincipalArn": isSession ? principal.roleArn : anonymous ? undefined : principal.arn,
    "aws:PrincipalAccount": anonymous ? undefined : principal.accountId,
    "aws:PrincipalType": isSession ? "AssumedRole" : anonymous ? "Anonymous" : "User",
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

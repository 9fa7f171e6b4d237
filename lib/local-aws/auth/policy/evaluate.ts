import { RequestContext } from "./context.ts";
import { isAccountRoot } from "./principals.ts";
import {
  actionMatches,
  compiledStatements,
  conditionsMatch,
  principalMatch,
  resourceMatches,
  type CompiledStatement,
} from "./statements.ts";
import type { EvaluationRequest, EvaluationResult, PolicyDocument } from "./types.ts";

type PolicyType = NonNullable<EvaluationResult["deniedBy"]>;

const IDENTITY_POLICY: PolicyType = "identity-based policy";
const RESOURCE_POLICY: PolicyType = "resource-based policy";
const ALLOW: EvaluationResult = { decision: "Allow" };

/**
 * Services whose resource policy (role trust policy, KMS key policy) must itself let the caller in,
 * even within one account: an identity policy counts only if that policy delegates to the account.
 */
const RESOURCE_POLICY_REQUIRED_SERVICES = new Set(["sts", "kms"]);

interface IdentityVerdict {
  readonly allows: boolean;
  readonly denies: boolean;
}

interface ResourceVerdict {
  readonly denies: boolean;
  /** An Allow naming the caller (or "*"): grants on its own within the resource's account. */
  readonly grantsDirectly: boolean;
  /** An Allow naming only the caller's account: the caller's identity policies must allow too. */
  readonly delegatesToAccount: boolean;
}

/** AWS's policy evaluation logic for identity-based and resource-based policies. */
export function evaluate(request: EvaluationRequest): EvaluationResult {
  const context = new RequestContext(request.context);
  const identity = identityVerdict(request, context);
  const resource = resourceVerdict(request, context);
  if (identity.denies) return explicitDeny(IDENTITY_POLICY);
  if (resource.denies) return explicitDeny(RESOURCE_POLICY);

  if (request.principal.type === "Service") {
    return resource.grantsDirectly ? ALLOW : implicitDeny(RESOURCE_POLICY);
  }
  const sameAccount = request.resourceAccount === undefined || request.resourceAccount === request.principal.accountId;
  if (sameAccount && resource.grantsDirectly) return ALLOW;
  const identityAloneSuffices = sameAccount && !resourcePolicyRequired(request);
  const resourceAdmits = resource.grantsDirectly || resource.delegatesToAccount;
  if (identity.allows && (identityAloneSuffices || resourceAdmits)) return ALLOW;
  return implicitDeny(identity.allows ? RESOURCE_POLICY : IDENTITY_POLICY);
}

function identityVerdict(request: EvaluationRequest, context: RequestContext): IdentityVerdict {
  // Service principals have no identity policies; the account root is allowed everything by default.
  if (request.principal.type === "Service") return { allows: false, denies: false };
  let allows = isAccountRoot(request.principal);
  for (const statement of applicableStatements(request.identityPolicies, request, context)) {
    if (statement.effect === "Deny") return { allows, denies: true };
    allows = true;
  }
  return { allows, denies: false };
}

function resourceVerdict(request: EvaluationRequest, context: RequestContext): ResourceVerdict {
  let grantsDirectly = false;
  let delegatesToAccount = false;
  const policies = request.resourcePolicy ? [request.resourcePolicy] : [];
  for (const statement of applicableStatements(policies, request, context)) {
    const match = principalMatch(statement, request.principal);
    if (match === "none") continue;
    if (statement.effect === "Deny") return { denies: true, grantsDirectly, delegatesToAccount };
    if (match === "direct") grantsDirectly = true;
    else delegatesToAccount = true;
  }
  return { denies: false, grantsDirectly, delegatesToAccount };
}

/** Statements whose action, resource and conditions cover the request (principals are checked by the caller). */
function* applicableStatements(
  documents: readonly PolicyDocument[],
  request: EvaluationRequest,
  context: RequestContext,
): Generator<CompiledStatement> {
  for (const document of documents) {
    for (const statement of compiledStatements(document)) {
      if (
        actionMatches(statement, request.action) &&
        resourceMatches(statement, request.resource, context) &&
        conditionsMatch(statement, context)
      ) {
        yield statement;
      }
    }
  }
}

function resourcePolicyRequired(request: EvaluationRequest): boolean {
  const service = request.action.slice(0, request.action.indexOf(":")).toLowerCase();
  return request.resourcePolicy !== undefined && RESOURCE_POLICY_REQUIRED_SERVICES.has(service);
}

function explicitDeny(policyType: PolicyType): EvaluationResult {
  return { decision: "ExplicitDeny", deniedBy: policyType, explicitDenyIn: policyType };
}

function implicitDeny(policyType: PolicyType): EvaluationResult {
  return { decision: "ImplicitDeny", deniedBy: policyType };
}

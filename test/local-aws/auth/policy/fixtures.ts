import type {
  ConditionContext,
  EvaluationRequest,
  PolicyDocument,
  PolicyStatement,
  RequestPrincipal,
} from "../../../../lib/local-aws/auth/policy/types.ts";

export const DEV = "111111111111";
export const PROD = "222222222222";

export function user(name: string, account = DEV): RequestPrincipal {
  return { type: "AWS", arn: `arn:aws:iam::${account}:user/${name}`, accountId: account };
}

export function session(role: string, sessionName: string, account = DEV, path = "/"): RequestPrincipal {
  return {
    type: "AWS",
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`,
    roleArn: `arn:aws:iam::${account}:role${path}${role}`,
    accountId: account,
  };
}

export function root(account = DEV): RequestPrincipal {
  return { type: "AWS", arn: `arn:aws:iam::${account}:root`, accountId: account };
}

export function service(name: string): RequestPrincipal {
  return { type: "Service", arn: name };
}

export function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export function allow(action: string | string[], resource: string | string[] = "*", extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: "Allow", Action: action, Resource: resource, ...extra };
}

export function deny(action: string | string[], resource: string | string[] = "*", extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: "Deny", Action: action, Resource: resource, ...extra };
}

/** A request with no policies unless given; the context defaults to empty. */
export function request(
  principal: RequestPrincipal,
  action: string,
  resource: string,
  rest: Partial<Omit<EvaluationRequest, "principal" | "action" | "resource">> = {},
): EvaluationRequest {
  return { principal, action, resource, identityPolicies: [], context: {} as ConditionContext, ...rest };
}

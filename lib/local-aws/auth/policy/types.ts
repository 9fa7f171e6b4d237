/** An IAM policy document as written in JSON (identity, trust or resource policy). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export type StringOrList = string | string[];

export type PrincipalBlock =
  | "*"
  | { AWS?: StringOrList; Service?: StringOrList; Federated?: StringOrList; CanonicalUser?: StringOrList };

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Condition?: Record<string, Record<string, StringOrList | boolean | number | Array<boolean | number | string>>>;
}

/** Condition context: key (case-insensitive, e.g. "aws:PrincipalArn", "sts:ExternalId") to value(s). */
export type ConditionContext = Record<string, string | string[] | undefined>;

/** Who is making the request, as resource-based (and trust) policies see it. */
export interface RequestPrincipal {
  /** "AWS" for users, roles, sessions and account roots; "Service" for AWS service principals. */
  type: "AWS" | "Service";
  /** The caller's ARN: user ARN, assumed-role session ARN (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION),
   *  account root ARN; or the service name (e.g. "sagemaker.amazonaws.com") for type "Service". */
  arn: string;
  /** For an assumed-role session, the ARN of the role (arn:aws:iam::ACCT:role/path/ROLE). */
  roleArn?: string;
  /** The unique ID trust policies name it by: the IAM user's (AIDA...), or for a session its role's (AROA...). */
  uniqueId?: string;
  /** Owning account; undefined for service principals. */
  accountId?: string;
}

export interface EvaluationRequest {
  principal: RequestPrincipal;
  /** "service:Action", e.g. "iam:CreateUser". Matching is case-insensitive as in AWS. */
  action: string;
  /** Resource ARN. */
  resource: string;
  /** Account that owns the resource; when it differs from principal.accountId the request is cross-account. */
  resourceAccount?: string;
  /** Identity-based policies in effect for the principal (inline + managed, plus groups for users). */
  identityPolicies: PolicyDocument[];
  /** Resource-based policy on the resource (bucket policy, role trust policy), if any. */
  resourcePolicy?: PolicyDocument;
  context: ConditionContext;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export interface EvaluationResult {
  decision: Decision;
  /** Which kind of policy produced the decision, for AccessDenied messages. */
  deniedBy?: "identity-based policy" | "resource-based policy";
  explicitDenyIn?: "identity-based policy" | "resource-based policy";
}

/** What a policy document is attached to; decides which elements it must and must not contain. */
export type PolicyKind = "identity" | "trust" | "resource";

/**
 * Differential suite: every case runs through this engine and through @cloud-copilot/iam-simulate
 * (AGPL-3.0, used here as a test oracle only; nothing under lib/ imports it) and both must reach the
 * decision the case expects. iam-simulate validates actions, resource ARNs and context keys against
 * its AWS metadata, so every case uses real actions, matching resource types and keys the action
 * supports; the harness fails a case if iam-simulate rejects or silently drops any of its input.
 *
 * Where iam-simulate departs from AWS's documentation the case records iam-simulate's decision and
 * the reason under `simulatorDiffers`; this engine follows the documentation, and the case still
 * runs both so that a change on either side shows up. A case iam-simulate cannot express at all says
 * why under `simulatorCannotRun` and runs through this engine only.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../../lib/local-aws/auth/policy/evaluate.ts";
import type {
  ConditionContext,
  Decision,
  EvaluationRequest,
  PolicyDocument,
  PolicyStatement,
  RequestPrincipal,
} from "../../../../lib/local-aws/auth/policy/types.ts";
import { allow, deny, DEV, policy, PROD, request, root, service, session, user } from "./fixtures.ts";

interface DifferentialCase {
  readonly name: string;
  readonly request: EvaluationRequest;
  readonly expected: Decision;
  readonly simulatorDiffers?: { readonly decision: Decision; readonly because: string };
  readonly simulatorCannotRun?: string;
}

const SIMULATOR_DECISIONS: Record<string, Decision> = {
  Allowed: "Allow",
  ExplicitlyDenied: "ExplicitDeny",
  ImplicitlyDenied: "ImplicitDeny",
};

async function simulatorDecision(evaluation: EvaluationRequest): Promise<Decision> {
  const resourceAccount = evaluation.resourceAccount ?? evaluation.principal.accountId;
  if (resourceAccount === undefined) throw new Error("cases with service principals must name the resource account");
  const simulation: Simulation = {
    request: {
      principal: evaluation.principal.arn,
      action: evaluation.action,
      resource: { resource: evaluation.resource, accountId: resourceAccount },
      contextVariables: definedValues(evaluation.context),
    },
    identityPolicies: evaluation.identityPolicies.map((document, index) => ({ name: `policy-${index}`, policy: document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(evaluation.resourcePolicy ? { resourcePolicy: evaluation.resourcePolicy } : {}),
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType !== "single") throw new Error(`iam-simulate could not run the case: ${JSON.stringify(response)}`);
  expect(response.result.ignoredContextKeys ?? [], "context keys iam-simulate dropped").toEqual([]);
  return SIMULATOR_DECISIONS[response.overallResult]!;
}

function definedValues(context: ConditionContext): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(context).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}

// ---------------------------------------------------------------------------------------------
// The two accounts of the project: data scientists work in DEV, models are served from PROD.

const alice = user("alice");
const bob = user("bob");
const scientist = session("DataScientist", "alice");
const otherScientist = session("DataScientist", "bob");
const prodDeployer = session("Deployer", "ci", PROD);
const sagemaker = service("sagemaker.amazonaws.com");

const DATA_BUCKET = "arn:aws:s3:::dev-training-data";
const DATA_OBJECT = `${DATA_BUCKET}/datasets/churn/train.csv`;
const MODEL_BUCKET = "arn:aws:s3:::prod-model-artifacts";
const MODEL_OBJECT = `${MODEL_BUCKET}/autopilot/best/model.tar.gz`;
const EXECUTION_ROLE = `arn:aws:iam::${DEV}:role/AmazonSageMaker-ExecutionRole`;
const PLAIN_ROLE = `arn:aws:iam::${DEV}:role/Builder`;
const CROSS_ACCOUNT_ROLE = `arn:aws:iam::${PROD}:role/AutopilotCrossAccount`;
const TRAINING_JOB = `arn:aws:sagemaker:us-east-1:${DEV}:training-job/churn-autopilot-1`;
const DEV_ROOT = `arn:aws:iam::${DEV}:root`;

const principalIn = (AWS: string | string[]): Partial<PolicyStatement> => ({ Principal: { AWS } });

/** The PassRole statements of the AWS managed policy AmazonSageMakerFullAccess. */
const SAGEMAKER_FULL_ACCESS_PASS_ROLE = policy(
  allow("iam:PassRole", "arn:aws:iam::*:role/*AmazonSageMaker*", {
    Condition: {
      StringEquals: { "iam:PassedToService": ["sagemaker.amazonaws.com", "glue.amazonaws.com", "robomaker.amazonaws.com", "states.amazonaws.com"] },
    },
  }),
  allow("iam:PassRole", "arn:aws:iam::*:role/*", { Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } }),
);

function trustPolicy(principal: PolicyStatement["Principal"], extra: Partial<PolicyStatement> = {}): PolicyDocument {
  return policy({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra });
}

function identityCase(
  name: string,
  principal: RequestPrincipal,
  action: string,
  resource: string,
  identityPolicies: PolicyDocument[],
  expected: Decision,
  context: ConditionContext = {},
): DifferentialCase {
  return { name, request: request(principal, action, resource, { identityPolicies, context, resourceAccount: principal.accountId }), expected };
}

const identityPolicyCases: DifferentialCase[] = [
  identityCase("exact action and object", scientist, "s3:GetObject", DATA_OBJECT, [policy(allow("s3:GetObject", DATA_OBJECT))], "Allow"),
  identityCase("action wildcard *", scientist, "s3:GetObject", DATA_OBJECT, [policy(allow("s3:Get*", `${DATA_BUCKET}/*`))], "Allow"),
  identityCase("action wildcard ?", scientist, "s3:GetObject", DATA_OBJECT, [policy(allow("s3:GetObjec?", `${DATA_BUCKET}/*`))], "Allow"),
  identityCase("action case-insensitive", scientist, "s3:GetObject", DATA_OBJECT, [policy(allow("S3:getobject", `${DATA_BUCKET}/*`))], "Allow"),
  identityCase("resource case-sensitive", scientist, "s3:GetObject", DATA_OBJECT, [policy(allow("s3:GetObject", "arn:aws:s3:::DEV-TRAINING-DATA/*"))], "ImplicitDeny"),
  identityCase("resource ? wildcard", scientist, "s3:GetObject", DATA_OBJECT, [policy(allow("s3:GetObject", `${DATA_BUCKET}/datasets/chur?/*`))], "Allow"),
  identityCase("no policies", scientist, "s3:GetObject", DATA_OBJECT, [], "ImplicitDeny"),
  identityCase("other action only", scientist, "s3:PutObject", DATA_OBJECT, [policy(allow("s3:GetObject", `${DATA_BUCKET}/*`))], "ImplicitDeny"),
  identityCase(
    "explicit deny in a second policy wins",
    scientist,
    "s3:DeleteObject",
    DATA_OBJECT,
    [policy(allow("s3:*")), policy(deny("s3:DeleteObject", `${DATA_BUCKET}/*`))],
    "ExplicitDeny",
  ),
  identityCase("NotAction allow covers other services", scientist, "s3:GetObject", DATA_OBJECT, [policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })], "Allow"),
  identityCase("NotAction allow excludes the listed service", alice, "iam:CreateUser", `arn:aws:iam::${DEV}:user/carol`, [policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })], "ImplicitDeny"),
  identityCase(
    "NotResource deny outside the data bucket",
    scientist,
    "s3:GetObject",
    MODEL_OBJECT,
    [policy(allow("s3:*"), { Effect: "Deny", Action: "s3:*", NotResource: [DATA_BUCKET, `${DATA_BUCKET}/*`] })],
    "ExplicitDeny",
  ),
  identityCase(
    "NotResource deny does not hit the data bucket",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    [policy(allow("s3:*"), { Effect: "Deny", Action: "s3:*", NotResource: [DATA_BUCKET, `${DATA_BUCKET}/*`] })],
    "Allow",
  ),
  identityCase("iam:CreateUser on user/*", alice, "iam:CreateUser", `arn:aws:iam::${DEV}:user/carol`, [policy(allow("iam:CreateUser", `arn:aws:iam::${DEV}:user/*`))], "Allow"),
  identityCase("iam:CreateUser prefix wildcard matches", alice, "iam:CreateUser", `arn:aws:iam::${DEV}:user/ml-carol`, [policy(allow("iam:CreateUser", "arn:aws:iam::*:user/ml-*"))], "Allow"),
  identityCase("iam:CreateUser prefix wildcard misses", alice, "iam:CreateUser", `arn:aws:iam::${DEV}:user/carol`, [policy(allow("iam:CreateUser", "arn:aws:iam::*:user/ml-*"))], "ImplicitDeny"),
  identityCase(
    "${aws:username} in the resource, own prefix",
    alice,
    "s3:GetObject",
    `${DATA_BUCKET}/home/alice/notes.txt`,
    [policy(allow("s3:GetObject", `${DATA_BUCKET}/home/\${aws:username}/*`))],
    "Allow",
    { "aws:username": "alice" },
  ),
  identityCase(
    "${aws:username} in the resource, someone else's prefix",
    alice,
    "s3:GetObject",
    `${DATA_BUCKET}/home/bob/notes.txt`,
    [policy(allow("s3:GetObject", `${DATA_BUCKET}/home/\${aws:username}/*`))],
    "ImplicitDeny",
    { "aws:username": "alice" },
  ),
  identityCase(
    "Bool aws:SecureTransport true",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    [policy(allow("s3:GetObject", "*", { Condition: { Bool: { "aws:SecureTransport": "true" } } }))],
    "Allow",
    { "aws:SecureTransport": "true" },
  ),
  identityCase(
    "Bool aws:SecureTransport false",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    [policy(allow("s3:GetObject", "*", { Condition: { Bool: { "aws:SecureTransport": "true" } } }))],
    "ImplicitDeny",
    { "aws:SecureTransport": "false" },
  ),
  identityCase(
    "NotIpAddress deny from outside the office",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    [policy(allow("s3:*"), deny("*", "*", { Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"] } } }))],
    "ExplicitDeny",
    { "aws:SourceIp": "192.0.2.10" },
  ),
  identityCase(
    "NotIpAddress deny does not hit the office",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    [policy(allow("s3:*"), deny("*", "*", { Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"] } } }))],
    "Allow",
    { "aws:SourceIp": "198.51.100.23" },
  ),
  identityCase(
    "DateLessThan aws:CurrentTime before expiry",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:CreateTrainingJob", "*", { Condition: { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } } }))],
    "Allow",
    { "aws:CurrentTime": "2026-03-01T12:00:00Z" },
  ),
  identityCase(
    "DateLessThan aws:CurrentTime after expiry",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:CreateTrainingJob", "*", { Condition: { DateLessThan: { "aws:CurrentTime": "2025-01-01T00:00:00Z" } } }))],
    "ImplicitDeny",
    { "aws:CurrentTime": "2026-03-01T12:00:00Z" },
  ),
  identityCase(
    "NumericLessThanEquals s3:max-keys",
    scientist,
    "s3:ListBucket",
    DATA_BUCKET,
    [policy(allow("s3:ListBucket", DATA_BUCKET, { Condition: { NumericLessThanEquals: { "s3:max-keys": "100" } } }))],
    "Allow",
    { "s3:max-keys": "50" },
  ),
  identityCase(
    "NumericLessThanEquals s3:max-keys exceeded",
    scientist,
    "s3:ListBucket",
    DATA_BUCKET,
    [policy(allow("s3:ListBucket", DATA_BUCKET, { Condition: { NumericLessThanEquals: { "s3:max-keys": "100" } } }))],
    "ImplicitDeny",
    { "s3:max-keys": "1000" },
  ),
  identityCase(
    "StringNotEquals aws:RequestedRegion deny",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*"), deny("sagemaker:*", "*", { Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } } }))],
    "ExplicitDeny",
    { "aws:RequestedRegion": "ap-south-1" },
  ),
  identityCase(
    "StringNotEquals aws:RequestedRegion allowed region",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*"), deny("sagemaker:*", "*", { Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } } }))],
    "Allow",
    { "aws:RequestedRegion": "us-east-1" },
  ),
  identityCase(
    "StringNotEquals deny holds when the key is missing",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*"), deny("sagemaker:*", "*", { Condition: { StringNotEquals: { "aws:RequestedRegion": "us-east-1" } } }))],
    "ExplicitDeny",
  ),
  identityCase(
    "StringNotEqualsIfExists deny also applies when the key is missing",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*"), deny("sagemaker:*", "*", { Condition: { StringNotEqualsIfExists: { "aws:RequestedRegion": "us-east-1" } } }))],
    "ExplicitDeny",
  ),
  identityCase(
    "StringEqualsIfExists allow holds when the key is missing",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*", "*", { Condition: { StringEqualsIfExists: { "aws:RequestedRegion": "us-east-1" } } }))],
    "Allow",
  ),
  identityCase(
    "StringEqualsIfExists allow checks a present key",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*", "*", { Condition: { StringEqualsIfExists: { "aws:RequestedRegion": "us-east-1" } } }))],
    "ImplicitDeny",
    { "aws:RequestedRegion": "eu-west-1" },
  ),
  identityCase(
    "StringEqualsIgnoreCase aws:PrincipalType",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    [policy(allow("s3:GetObject", "*", { Condition: { StringEqualsIgnoreCase: { "aws:PrincipalType": "assumedrole" } } }))],
    "Allow",
    { "aws:PrincipalType": "AssumedRole" },
  ),
  identityCase(
    "ArnLike aws:PrincipalArn deny for the role",
    scientist,
    "s3:DeleteObject",
    DATA_OBJECT,
    [policy(allow("s3:*"), deny("s3:DeleteObject", "*", { Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${DEV}:role/Data*` } } }))],
    "ExplicitDeny",
    { "aws:PrincipalArn": scientist.roleArn! },
  ),
  identityCase(
    "ArnNotEquals aws:PrincipalArn deny spares the role",
    scientist,
    "s3:DeleteObject",
    DATA_OBJECT,
    [policy(allow("s3:*"), deny("s3:DeleteObject", "*", { Condition: { ArnNotEquals: { "aws:PrincipalArn": scientist.roleArn! } } }))],
    "Allow",
    { "aws:PrincipalArn": scientist.roleArn! },
  ),
  identityCase(
    "ForAllValues:StringEquals aws:TagKeys within the allowed set",
    alice,
    "iam:TagUser",
    `arn:aws:iam::${DEV}:user/bob`,
    [policy(allow("iam:TagUser", "*", { Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "cost-center"] } } }))],
    "Allow",
    { "aws:TagKeys": ["team"] },
  ),
  identityCase(
    "ForAllValues:StringEquals aws:TagKeys outside the allowed set",
    alice,
    "iam:TagUser",
    `arn:aws:iam::${DEV}:user/bob`,
    [policy(allow("iam:TagUser", "*", { Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "cost-center"] } } }))],
    "ImplicitDeny",
    { "aws:TagKeys": ["team", "owner"] },
  ),
  identityCase(
    "ForAnyValue:StringLike aws:TagKeys deny",
    alice,
    "iam:TagUser",
    `arn:aws:iam::${DEV}:user/bob`,
    [policy(allow("iam:TagUser"), deny("iam:TagUser", "*", { Condition: { "ForAnyValue:StringLike": { "aws:TagKeys": "aws-*" } } }))],
    "ExplicitDeny",
    { "aws:TagKeys": ["team", "aws-reserved"] },
  ),
  identityCase(
    "a single-valued operator on a multivalued key does not hold",
    alice,
    "iam:TagUser",
    `arn:aws:iam::${DEV}:user/bob`,
    [policy(allow("iam:TagUser", "*", { Condition: { StringEquals: { "aws:TagKeys": "team" } } }))],
    "ImplicitDeny",
    { "aws:TagKeys": ["team"] },
  ),
  {
    ...identityCase(
      "ForAnyValue:...IfExists holds when the key is missing",
      alice,
      "iam:TagUser",
      `arn:aws:iam::${DEV}:user/bob`,
      [policy(allow("iam:TagUser", "*", { Condition: { "ForAnyValue:StringEqualsIfExists": { "aws:TagKeys": "team" } } }))],
      "Allow",
    ),
    simulatorDiffers: {
      decision: "ImplicitDeny",
      because: "AWS documents IfExists as 'if the key is not present, evaluate the condition element as true' for every operator but Null; iam-simulate lets ForAnyValue's missing-key rule win",
    },
  },
  identityCase(
    "Null deny when MFA is absent",
    alice,
    "iam:CreateUser",
    `arn:aws:iam::${DEV}:user/carol`,
    [policy(allow("iam:*"), deny("iam:*", "*", { Condition: { Null: { "aws:MultiFactorAuthPresent": "true" } } }))],
    "ExplicitDeny",
  ),
  identityCase(
    "BoolIfExists MFA present",
    alice,
    "iam:CreateUser",
    `arn:aws:iam::${DEV}:user/carol`,
    [policy(allow("iam:*", "*", { Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } }))],
    "Allow",
    { "aws:MultiFactorAuthPresent": "true" },
  ),
  identityCase(
    "PassRole of a SageMaker execution role to SageMaker (AmazonSageMakerFullAccess)",
    scientist,
    "iam:PassRole",
    EXECUTION_ROLE,
    [SAGEMAKER_FULL_ACCESS_PASS_ROLE],
    "Allow",
    { "iam:PassedToService": "sagemaker.amazonaws.com" },
  ),
  identityCase(
    "PassRole of a SageMaker execution role to Glue (AmazonSageMakerFullAccess)",
    scientist,
    "iam:PassRole",
    EXECUTION_ROLE,
    [SAGEMAKER_FULL_ACCESS_PASS_ROLE],
    "Allow",
    { "iam:PassedToService": "glue.amazonaws.com" },
  ),
  identityCase(
    "PassRole of another role to Glue (AmazonSageMakerFullAccess)",
    scientist,
    "iam:PassRole",
    PLAIN_ROLE,
    [SAGEMAKER_FULL_ACCESS_PASS_ROLE],
    "ImplicitDeny",
    { "iam:PassedToService": "glue.amazonaws.com" },
  ),
  identityCase(
    "PassRole to EC2 (AmazonSageMakerFullAccess)",
    scientist,
    "iam:PassRole",
    EXECUTION_ROLE,
    [SAGEMAKER_FULL_ACCESS_PASS_ROLE],
    "ImplicitDeny",
    { "iam:PassedToService": "ec2.amazonaws.com" },
  ),
  identityCase(
    "sagemaker:* with a training-job ARN pattern",
    scientist,
    "sagemaker:CreateTrainingJob",
    TRAINING_JOB,
    [policy(allow("sagemaker:*", `arn:aws:sagemaker:*:${DEV}:training-job/churn-*`))],
    "Allow",
  ),
  {
    ...identityCase("${*} in a resource matches a literal *", alice, "s3:GetObject", `${DATA_BUCKET}/raw*`, [policy(allow("s3:GetObject", `${DATA_BUCKET}/raw\${*}`))], "Allow"),
    simulatorCannotRun: "iam-simulate reads a * in the request's resource ARN as a wildcard request and answers for every matching pattern",
  },
  identityCase("${*} in a resource is no wildcard", alice, "s3:GetObject", `${DATA_BUCKET}/raw-2024`, [policy(allow("s3:GetObject", `${DATA_BUCKET}/raw\${*}`))], "ImplicitDeny"),
  identityCase(
    "${*} in a condition value matches a literal *",
    alice,
    "s3:ListBucket",
    DATA_BUCKET,
    [policy(allow("s3:ListBucket", DATA_BUCKET, { Condition: { StringLike: { "s3:prefix": "raw${*}" } } }))],
    "Allow",
    { "s3:prefix": "raw*" },
  ),
  identityCase(
    "${*} in a condition value is no wildcard",
    alice,
    "s3:ListBucket",
    DATA_BUCKET,
    [policy(allow("s3:ListBucket", DATA_BUCKET, { Condition: { StringLike: { "s3:prefix": "raw${*}" } } }))],
    "ImplicitDeny",
    { "s3:prefix": "raw-2024/" },
  ),
  identityCase(
    "a policy variable's default value",
    alice,
    "s3:GetObject",
    `${DATA_BUCKET}/teams/shared/x.csv`,
    [policy(allow("s3:GetObject", `${DATA_BUCKET}/teams/\${aws:PrincipalTag/team, 'shared'}/*`))],
    "Allow",
  ),
  identityCase(
    "an unresolvable policy variable matches nothing",
    alice,
    "s3:GetObject",
    `${DATA_BUCKET}/teams/shared/x.csv`,
    [policy(allow("s3:GetObject", `${DATA_BUCKET}/teams/\${aws:PrincipalTag/team}/*`))],
    "ImplicitDeny",
  ),
  {
    ...identityCase(
      "variables stay literal in a document without Version 2012-10-17",
      alice,
      "s3:GetObject",
      `${DATA_BUCKET}/home/alice/notes.txt`,
      [{ Statement: [allow("s3:GetObject", `${DATA_BUCKET}/home/\${aws:username}/*`)] }],
      "ImplicitDeny",
      { "aws:username": "alice" },
    ),
    simulatorDiffers: {
      decision: "Allow",
      because: "AWS: without Version 2012-10-17 policy variables are treated as literal strings; iam-simulate substitutes them in any version",
    },
  },
  {
    ...identityCase("the account root user needs no identity policy", root(DEV), "iam:CreateUser", `arn:aws:iam::${DEV}:user/carol`, [], "Allow"),
    simulatorDiffers: {
      decision: "ImplicitDeny",
      because: "AWS: all requests are implicitly denied except those of the account root user, which has full access; iam-simulate gives the root no implicit allow",
    },
  },
];

function bucketCase(
  name: string,
  principal: RequestPrincipal,
  action: string,
  resource: string,
  resourcePolicy: PolicyDocument,
  identityPolicies: PolicyDocument[],
  expected: Decision,
  context: ConditionContext = {},
  resourceAccount = DEV,
): DifferentialCase {
  return { name, request: request(principal, action, resource, { resourcePolicy, identityPolicies, context, resourceAccount }), expected };
}

const getData = [policy(allow("s3:GetObject", `${DATA_BUCKET}/*`))];
const getModels = [policy(allow(["s3:GetObject", "s3:ListBucket"], [MODEL_BUCKET, `${MODEL_BUCKET}/*`]))];
const listModelsUnder = (prefix: string, principal: string | string[] = DEV) =>
  policy(allow("s3:ListBucket", MODEL_BUCKET, { ...principalIn(principal), Condition: { StringLike: { "s3:prefix": prefix } } }));

/** A deny whose NotPrincipal lists only some of the identities AWS checks for the caller. */
function partialNotPrincipalCase(name: string, caller: RequestPrincipal, listed: string[]): DifferentialCase {
  const bucketPolicy = policy(deny("s3:*", `${DATA_BUCKET}/*`, { NotPrincipal: { AWS: listed } }));
  return {
    ...bucketCase(name, caller, "s3:GetObject", DATA_OBJECT, bucketPolicy, getData, "ExplicitDeny"),
    simulatorDiffers: {
      decision: "Allow",
      because:
        "AWS: with NotPrincipal 'you must also specify the account ARN of the not-denied principal', and for an assumed role AWS checks the account, the role and the session; iam-simulate exempts the caller when any one of them is listed",
    },
  };
}

const sameAccountBucketCases: DifferentialCase[] = [
  bucketCase("bucket policy naming the user, no identity policy", alice, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(alice.arn))), [], "Allow"),
  bucketCase("bucket policy naming another user", bob, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(alice.arn))), [], "ImplicitDeny"),
  // AWS docs: within one account a resource policy naming the role ARN or the role session ARN
  // grants the session directly; they differ only under permissions boundaries / session policies.
  bucketCase("bucket policy naming the role, session caller, no identity policy", scientist, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(scientist.roleArn!))), [], "Allow"),
  bucketCase("bucket policy naming the session, no identity policy", scientist, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(scientist.arn))), [], "Allow"),
  bucketCase("bucket policy naming another session of the role", otherScientist, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(scientist.arn))), [], "ImplicitDeny"),
  bucketCase("bucket policy naming the account root delegates: no identity policy", scientist, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(DEV_ROOT))), [], "ImplicitDeny"),
  bucketCase("bucket policy naming the account id delegates: identity policy allows", scientist, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(DEV))), getData, "Allow"),
  bucketCase("bucket policy Principal * allows within the account", bob, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, { Principal: "*" })), [], "Allow"),
  bucketCase(
    "bucket policy denies insecure transport",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    policy(deny("s3:*", [DATA_BUCKET, `${DATA_BUCKET}/*`], { Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
    getData,
    "ExplicitDeny",
    { "aws:SecureTransport": "false" },
  ),
  bucketCase(
    "bucket policy deny naming the account hits every principal in it",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    policy(deny("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(DEV))),
    getData,
    "ExplicitDeny",
  ),
  bucketCase(
    "NotPrincipal deny spares a user listed with its account",
    alice,
    "s3:GetObject",
    DATA_OBJECT,
    policy(deny("s3:*", `${DATA_BUCKET}/*`, { NotPrincipal: { AWS: [alice.arn, DEV_ROOT] } })),
    getData,
    "Allow",
  ),
  bucketCase(
    "NotPrincipal deny hits another account's users",
    user("carol", PROD),
    "s3:GetObject",
    DATA_OBJECT,
    policy(deny("s3:*", `${DATA_BUCKET}/*`, { NotPrincipal: { AWS: [alice.arn, DEV_ROOT] } })),
    [policy(allow("s3:*"))],
    "ExplicitDeny",
  ),
  bucketCase(
    "NotPrincipal deny spares a session listed with its role and account",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    policy(deny("s3:*", `${DATA_BUCKET}/*`, { NotPrincipal: { AWS: [scientist.arn, scientist.roleArn!, DEV_ROOT] } })),
    getData,
    "Allow",
  ),
  partialNotPrincipalCase("NotPrincipal deny naming only the user still hits it", alice, [alice.arn]),
  partialNotPrincipalCase("NotPrincipal deny naming only the account hits the users in it", alice, [DEV_ROOT]),
  partialNotPrincipalCase("NotPrincipal deny naming the role and account hits an unlisted session", scientist, [scientist.roleArn!, DEV_ROOT]),
  partialNotPrincipalCase("NotPrincipal deny naming a user and the account hits the account's other users", bob, [alice.arn, DEV_ROOT]),
  bucketCase(
    "StringNotEquals aws:PrincipalAccount deny spares the owner account",
    scientist,
    "s3:GetObject",
    DATA_OBJECT,
    policy(deny("s3:*", `${DATA_BUCKET}/*`, { Principal: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": DEV } } })),
    getData,
    "Allow",
    { "aws:PrincipalAccount": DEV },
  ),
];

const cross = (
  name: string,
  principal: RequestPrincipal,
  action: string,
  resource: string,
  resourcePolicy: PolicyDocument | undefined,
  identityPolicies: PolicyDocument[],
  expected: Decision,
  context: ConditionContext = {},
): DifferentialCase => ({
  name,
  request: request(principal, action, resource, { identityPolicies, context, resourceAccount: PROD, ...(resourcePolicy ? { resourcePolicy } : {}) }),
  expected,
});

const crossAccountBucketCases: DifferentialCase[] = [
  cross("ListBucket with matching s3:prefix via account root", scientist, "s3:ListBucket", MODEL_BUCKET, listModelsUnder("autopilot/*"), getModels, "Allow", { "s3:prefix": "autopilot/best/" }),
  cross("ListBucket with other s3:prefix", scientist, "s3:ListBucket", MODEL_BUCKET, listModelsUnder("autopilot/*"), getModels, "ImplicitDeny", { "s3:prefix": "finance/" }),
  cross("ListBucket without s3:prefix", scientist, "s3:ListBucket", MODEL_BUCKET, listModelsUnder("autopilot/*"), getModels, "ImplicitDeny"),
  cross("ListBucket bucket policy alone is not enough", scientist, "s3:ListBucket", MODEL_BUCKET, listModelsUnder("autopilot/*"), [], "ImplicitDeny", { "s3:prefix": "autopilot/" }),
  cross("ListBucket identity policy alone is not enough", scientist, "s3:ListBucket", MODEL_BUCKET, undefined, getModels, "ImplicitDeny", { "s3:prefix": "autopilot/" }),
  cross("ListBucket bucket policy for another account", scientist, "s3:ListBucket", MODEL_BUCKET, listModelsUnder("*", "333333333333"), getModels, "ImplicitDeny", { "s3:prefix": "autopilot/" }),
  cross(
    "ListBucket with ${aws:username} in s3:prefix",
    alice,
    "s3:ListBucket",
    MODEL_BUCKET,
    listModelsUnder("home/${aws:username}/*", alice.arn),
    getModels,
    "Allow",
    { "s3:prefix": "home/alice/runs/", "aws:username": "alice" },
  ),
  cross(
    "ListBucket with ${aws:username} in s3:prefix, someone else's",
    alice,
    "s3:ListBucket",
    MODEL_BUCKET,
    listModelsUnder("home/${aws:username}/*", alice.arn),
    getModels,
    "ImplicitDeny",
    { "s3:prefix": "home/bob/runs/", "aws:username": "alice" },
  ),
  cross("GetObject granted to the role ARN", scientist, "s3:GetObject", MODEL_OBJECT, policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, principalIn(scientist.roleArn!))), getModels, "Allow"),
  cross("GetObject granted to the role ARN, no identity policy", scientist, "s3:GetObject", MODEL_OBJECT, policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, principalIn(scientist.roleArn!))), [], "ImplicitDeny"),
  cross("GetObject granted to {AWS: *}", scientist, "s3:GetObject", MODEL_OBJECT, policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, principalIn("*"))), getModels, "Allow"),
  cross(
    "GetObject to Principal * limited by aws:PrincipalAccount",
    scientist,
    "s3:GetObject",
    MODEL_OBJECT,
    policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, { Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": DEV } } })),
    getModels,
    "Allow",
    { "aws:PrincipalAccount": DEV },
  ),
  cross(
    "GetObject to Principal * limited to another account",
    scientist,
    "s3:GetObject",
    MODEL_OBJECT,
    policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, { Principal: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "333333333333" } } })),
    getModels,
    "ImplicitDeny",
    { "aws:PrincipalAccount": DEV },
  ),
  cross(
    "explicit deny in the caller's identity policy",
    scientist,
    "s3:GetObject",
    MODEL_OBJECT,
    policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, principalIn(DEV))),
    [...getModels, policy(deny("s3:*", `${MODEL_BUCKET}/*`))],
    "ExplicitDeny",
  ),
  cross(
    "explicit deny in the bucket policy for a path",
    scientist,
    "s3:GetObject",
    MODEL_OBJECT,
    policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, principalIn(DEV)), deny("s3:GetObject", `${MODEL_BUCKET}/autopilot/*`, principalIn(scientist.roleArn!))),
    getModels,
    "ExplicitDeny",
  ),
  cross("PutObject not covered by the bucket policy", scientist, "s3:PutObject", MODEL_OBJECT, policy(allow("s3:GetObject", `${MODEL_BUCKET}/*`, principalIn(DEV))), [policy(allow("s3:*"))], "ImplicitDeny"),
];

const assumeRole = [policy(allow("sts:AssumeRole"))];
const assumeCase = (
  name: string,
  principal: RequestPrincipal,
  roleArn: string,
  trust: PolicyDocument,
  identityPolicies: PolicyDocument[],
  expected: Decision,
  context: ConditionContext = {},
): DifferentialCase => ({
  name,
  request: request(principal, "sts:AssumeRole", roleArn, { resourcePolicy: trust, identityPolicies, context, resourceAccount: roleArn.split(":")[4]! }),
  expected,
});
const externalIdTrust = trustPolicy({ AWS: DEV_ROOT }, { Condition: { StringEquals: { "sts:ExternalId": "autopilot-7f3a" } } });

const trustPolicyCases: DifferentialCase[] = [
  assumeCase("same account, trust names the user, no identity policy", alice, PLAIN_ROLE, trustPolicy({ AWS: alice.arn }), [], "Allow"),
  assumeCase("same account, trust names the account root, identity allows", alice, PLAIN_ROLE, trustPolicy({ AWS: DEV_ROOT }), assumeRole, "Allow"),
  assumeCase("same account, trust names the account root, no identity policy", alice, PLAIN_ROLE, trustPolicy({ AWS: DEV_ROOT }), [], "ImplicitDeny"),
  assumeCase("same account, trust names someone else, identity allows", alice, PLAIN_ROLE, trustPolicy({ AWS: bob.arn }), assumeRole, "ImplicitDeny"),
  assumeCase("cross account, matching sts:ExternalId", scientist, CROSS_ACCOUNT_ROLE, externalIdTrust, assumeRole, "Allow", { "sts:ExternalId": "autopilot-7f3a" }),
  assumeCase("cross account, wrong sts:ExternalId", scientist, CROSS_ACCOUNT_ROLE, externalIdTrust, assumeRole, "ImplicitDeny", { "sts:ExternalId": "guess" }),
  assumeCase("cross account, missing sts:ExternalId", scientist, CROSS_ACCOUNT_ROLE, externalIdTrust, assumeRole, "ImplicitDeny"),
  assumeCase("cross account, matching sts:ExternalId, no identity policy", scientist, CROSS_ACCOUNT_ROLE, externalIdTrust, [], "ImplicitDeny", { "sts:ExternalId": "autopilot-7f3a" }),
  assumeCase("cross account, trust names the caller's role", scientist, CROSS_ACCOUNT_ROLE, trustPolicy({ AWS: scientist.roleArn! }), assumeRole, "Allow"),
  assumeCase("cross account, trust names the caller's role, no identity policy", scientist, CROSS_ACCOUNT_ROLE, trustPolicy({ AWS: scientist.roleArn! }), [], "ImplicitDeny"),
  assumeCase("cross account, identity policy limited to another role", scientist, CROSS_ACCOUNT_ROLE, trustPolicy({ AWS: DEV_ROOT }), [policy(allow("sts:AssumeRole", `arn:aws:iam::${PROD}:role/Other`))], "ImplicitDeny"),
  assumeCase(
    "cross account, trust limited by ArnLike aws:PrincipalArn",
    scientist,
    CROSS_ACCOUNT_ROLE,
    trustPolicy({ AWS: DEV_ROOT }, { Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${DEV}:role/Data*` } } }),
    assumeRole,
    "Allow",
    { "aws:PrincipalArn": scientist.roleArn! },
  ),
  assumeCase(
    "cross account, trust denies without sts:ExternalId",
    scientist,
    CROSS_ACCOUNT_ROLE,
    policy(
      { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
      { Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { Null: { "sts:ExternalId": "true" } } },
    ),
    assumeRole,
    "ExplicitDeny",
  ),
  assumeCase(
    "role session name must equal the user name",
    alice,
    CROSS_ACCOUNT_ROLE,
    trustPolicy({ AWS: DEV_ROOT }, { Condition: { StringEquals: { "sts:RoleSessionName": "${aws:username}" } } }),
    assumeRole,
    "Allow",
    { "sts:RoleSessionName": "alice", "aws:username": "alice" },
  ),
  assumeCase(
    "role session name differs from the user name",
    alice,
    CROSS_ACCOUNT_ROLE,
    trustPolicy({ AWS: DEV_ROOT }, { Condition: { StringEquals: { "sts:RoleSessionName": "${aws:username}" } } }),
    assumeRole,
    "ImplicitDeny",
    { "sts:RoleSessionName": "admin", "aws:username": "alice" },
  ),
  assumeCase("PROD deployer assumes a DEV role named in the trust", prodDeployer, PLAIN_ROLE, trustPolicy({ AWS: prodDeployer.roleArn! }), assumeRole, "Allow"),
  assumeCase("SageMaker assumes its execution role", sagemaker, EXECUTION_ROLE, trustPolicy({ Service: "sagemaker.amazonaws.com" }), [], "Allow"),
  assumeCase("SageMaker cannot assume a role trusting EC2", sagemaker, EXECUTION_ROLE, trustPolicy({ Service: "ec2.amazonaws.com" }), [], "ImplicitDeny"),
  assumeCase(
    "SageMaker limited by aws:SourceAccount",
    sagemaker,
    EXECUTION_ROLE,
    trustPolicy({ Service: "sagemaker.amazonaws.com" }, { Condition: { StringEquals: { "aws:SourceAccount": DEV } } }),
    [],
    "ImplicitDeny",
    { "aws:SourceAccount": PROD },
  ),
];

const serviceBucketCases: DifferentialCase[] = [
  bucketCase(
    "SageMaker reads the bucket as a service principal",
    sagemaker,
    "s3:GetObject",
    DATA_OBJECT,
    policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, { Principal: { Service: "sagemaker.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": DEV } } })),
    [],
    "Allow",
    { "aws:SourceAccount": DEV },
  ),
  bucketCase("{AWS: *} admits a service principal too", sagemaker, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn("*"))), [], "Allow"),
  bucketCase("a service principal gets nothing from identity policies", sagemaker, "s3:GetObject", DATA_OBJECT, policy(allow("s3:GetObject", `${DATA_BUCKET}/*`, principalIn(DEV))), [policy(allow("s3:*"))], "ImplicitDeny"),
  bucketCase(
    "a confused-deputy deny stops the service from another account",
    sagemaker,
    "s3:GetObject",
    DATA_OBJECT,
    policy(
      allow("s3:GetObject", `${DATA_BUCKET}/*`, { Principal: { Service: "sagemaker.amazonaws.com" } }),
      deny("s3:*", `${DATA_BUCKET}/*`, { Principal: "*", Condition: { StringNotEquals: { "aws:SourceAccount": DEV } } }),
    ),
    [],
    "ExplicitDeny",
    { "aws:SourceAccount": PROD },
  ),
];

const KEY = `arn:aws:kms:us-east-1:${DEV}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const decrypt = [policy(allow("kms:Decrypt", "*"))];
const keyPolicy = (principal: string) => policy(allow("kms:*", "*", principalIn(principal)));

// KMS key policies, like trust policies, must let the caller in even within the key's account.
const keyPolicyCases: DifferentialCase[] = [
  bucketCase("key policy delegating to the account, identity policy allows", scientist, "kms:Decrypt", KEY, keyPolicy(DEV_ROOT), decrypt, "Allow"),
  bucketCase("key policy delegating to the account, no identity policy", scientist, "kms:Decrypt", KEY, keyPolicy(DEV_ROOT), [], "ImplicitDeny"),
  bucketCase("key policy naming another account: the identity policy is not enough", scientist, "kms:Decrypt", KEY, keyPolicy(`arn:aws:iam::${PROD}:root`), decrypt, "ImplicitDeny"),
  bucketCase("key policy naming the role, no identity policy", scientist, "kms:Decrypt", KEY, keyPolicy(scientist.roleArn!), [], "Allow"),
];

const CASES: DifferentialCase[] = [
  ...identityPolicyCases,
  ...sameAccountBucketCases,
  ...crossAccountBucketCases,
  ...trustPolicyCases,
  ...serviceBucketCases,
  ...keyPolicyCases,
];

describe("differential: this engine vs @cloud-copilot/iam-simulate", () => {
  it("has at least 60 cases that both engines run", () => {
    expect(CASES.filter((testCase) => !testCase.simulatorCannotRun).length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((testCase) => testCase.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))("%s", async (_, testCase) => {
    const ours = evaluate(testCase.request).decision;
    if (testCase.simulatorCannotRun) {
      expect(ours).toBe(testCase.expected);
      return;
    }
    const theirs = await simulatorDecision(testCase.request);
    expect({ ours, theirs }).toEqual({ ours: testCase.expected, theirs: testCase.simulatorDiffers?.decision ?? testCase.expected });
  });
});

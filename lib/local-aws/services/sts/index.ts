import { AwsError, accessDenied, validationError } from "../../errors.ts";
import { optionalInteger, optionalText, requiredText, type TextConstraint } from "../input.ts";
import { issueSession } from "../../auth/sessions.ts";
import { deniedMessage } from "../../auth/authorize.ts";
import { parsePolicyDocument, PolicyDocumentError } from "../../auth/policy/index.ts";
import type { OperationContext, OperationInput, ServiceDefinition } from "../../service.ts";
import { findRoleByArn } from "../iam/queries.ts";

const ROLE_ARN: TextConstraint = { min: 20, max: 2048, pattern: "arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}" };
const SESSION_NAME: TextConstraint = { min: 2, max: 64, pattern: "[\\w+=,.@-]*" };
const EXTERNAL_ID: TextConstraint = { min: 2, max: 1224, pattern: "[\\w+=,.@:/-]*" };
const SOURCE_IDENTITY: TextConstraint = { min: 2, max: 64, pattern: "[\\w+=,.@-]*" };
const SESSION_POLICY: TextConstraint = { min: 1, max: 2048 };

const ROLE_CHAINING_LIMIT_SECONDS = 3600;
const MIN_DURATION_SECONDS = 900;

function getCallerIdentity(ctx: OperationContext) {
  const { principal } = ctx;
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
}

function assumeRole(ctx: OperationContext, input: OperationInput) {
  const roleArn = requiredText(input, "RoleArn", ROLE_ARN);
  const sessionName = requiredText(input, "RoleSessionName", SESSION_NAME);
  const externalId = optionalText(input, "ExternalId", EXTERNAL_ID);
  const durationSeconds = optionalInteger(input, "DurationSeconds", MIN_DURATION_SECONDS, 43200) ?? 3600;
  const sessionPolicy = optionalSessionPolicy(input);
  const sourceIdentity = optionalText(input, "SourceIdentity", SOURCE_IDENTITY);

  const check = {
    action: "sts:AssumeRole",
    resource: roleArn,
    resourceAccount: roleArn.split(":")[4]!,
    context: {
      "sts:ExternalId": externalId,
      "sts:RoleSessionName": sessionName,
      "sts:SourceIdentity": sourceIdentity,
    },
  };
  const role = findRoleByArn(ctx.store, roleArn, ctx.now());
  if (!role) throw accessDenied(deniedMessage(ctx.principal, check, "because no identity-based policy allows the sts:AssumeRole action"));
  ctx.authorize({ ...check, resourcePolicy: role.assumeRolePolicyDocument });

  const roleChained = ctx.principal.kind === "assumed-role";
  if (roleChained && durationSeconds > ROLE_CHAINING_LIMIT_SECONDS) {
    throw validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  }
  if (durationSeconds > role.maxSessionDuration) {
    throw validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  const session = issueSession(
    ctx.store,
    {
      accountId: check.resourceAccount,
      roleArn: role.arn,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName,
      roleChained,
      ...(sessionPolicy ? { sessionPolicy: sessionPolicy.document } : {}),
      ...(sourceIdentity ? { sourceIdentity } : {}),
    },
    ctx.now(),
    durationSeconds,
  );
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${check.resourceAccount}:assumed-role/${role.roleName}/${sessionName}`,
    },
    PackedPolicySize: sessionPolicy ? Math.min(100, Math.ceil((sessionPolicy.packedLength * 100) / 2048)) : undefined,
    SourceIdentity: sourceIdentity,
  };
}

function optionalSessionPolicy(input: OperationInput) {
  const text = optionalText(input, "Policy", SESSION_POLICY);
  if (text === undefined) return undefined;
  try {
    return { document: parsePolicyDocument(text, "identity"), packedLength: text.replace(/\s+/g, "").length };
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw new AwsError("MalformedPolicyDocument", error.message);
    throw error;
  }
}

export const stsService: ServiceDefinition = {
  signingName: "sts",
  protocol: "awsQuery",
  apiVersion: "2011-06-15",
  xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  operations: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
  },
  alwaysAllowed: ["GetCallerIdentity"],
};

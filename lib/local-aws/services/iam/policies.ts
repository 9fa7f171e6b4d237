/** Customer managed policies and their versions; AWS managed policies readable alongside them. */
import { deniedMessage } from "../../auth/authorize.ts";
import type { ConditionContext } from "../../auth/policy/types.ts";
import { accessDenied, deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from "../../errors.ts";
import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { iamArn } from "./arns.ts";
import { validatedDocument } from "./documents.ts";
import { AWS_MANAGED_POLICIES } from "./managed-policies.ts";
import { readIam, sameName, updateIam, type IamState, type ManagedPolicyRecord, type PolicyVersionRecord } from "./model.ts";
import { byName, listResult, paginate } from "./pagination.ts";
import { attachmentCount, findManagedPolicy, isAwsManaged } from "./policy-records.ts";
import { newCustomerPolicy } from "./records.ts";
import { tagOperations, type TagTarget } from "./tag-operations.ts";
import { readTags, requestTagContext, resourceTagContext } from "./tags.ts";
import {
  POLICY_DESCRIPTION,
  POLICY_DOCUMENT,
  POLICY_NAME,
  VERSION_ID,
  optionalText,
  readBoolean,
  readEnum,
  readPath,
  readPathPrefix,
  readPolicyArn,
  requiredText,
} from "./validation.ts";
import { policyVersionView, policyView } from "./views.ts";

const MAX_VERSIONS = 5;

interface PolicyAccess {
  /** The caller means to change the policy: AWS managed policies then answer AccessDenied. */
  forChange?: boolean;
  context?: ConditionContext;
}

/** Authorizes `action` on the policy an ARN names and returns the policy, or throws NoSuchEntity. */
function requirePolicy(ctx: OperationContext, state: IamState, arn: string, action: string, access: PolicyAccess = {}): ManagedPolicyRecord {
  const policy = findManagedPolicy(state, ctx.principal.accountId, arn);
  const check = { action, resource: policy?.arn ?? arn, context: { ...(policy ? resourceTagContext(policy.tags) : {}), ...access.context } };
  ctx.authorize(check);
  if (!policy) throw noSuchEntity(`Policy ${arn} was not found.`);
  if (access.forChange && isAwsManaged(policy)) {
    // They belong to AWS's account, which grants customers nothing on them.
    throw accessDenied(deniedMessage(ctx.principal, check, `because no resource-based policy allows the ${action} action`));
  }
  return policy;
}

function requireVersion(policy: ManagedPolicyRecord, versionId: string): PolicyVersionRecord {
  const version = policy.versions.find((candidate) => candidate.versionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
  return version;
}

const validatedManagedDocument = (text: string): string => validatedDocument(text, "identity", { managedPolicy: true }).json;

const readDocument = (input: OperationInput) => requiredText(input, "PolicyDocument", POLICY_DOCUMENT);
const readVersionId = (input: OperationInput) => requiredText(input, "VersionId", VERSION_ID);
const readUsageFilter = (input: OperationInput) => readEnum(input, "PolicyUsageFilter", ["PermissionsPolicy", "PermissionsBoundary"] as const);

const createPolicy: Operation = (ctx, input) => {
  const policyName = requiredText(input, "PolicyName", POLICY_NAME);
  const path = readPath(input);
  const text = readDocument(input);
  const description = optionalText(input, "Description", POLICY_DESCRIPTION);
  const tags = readTags(input);
  return updateIam(ctx, (state) => {
    const accountId = ctx.principal.accountId;
    ctx.authorize({ action: "iam:CreatePolicy", resource: iamArn(accountId, "policy", path, policyName), context: requestTagContext(tags) });
    if (state.policies.some((policy) => sameName(policy.policyName, policyName))) {
      throw entityAlreadyExists(`A policy called ${policyName} already exists. Duplicate names are not allowed.`);
    }
    const document = validatedManagedDocument(text);
    const policy = newCustomerPolicy(accountId, { policyName, path, description, document, tags }, ctx.now());
    state.policies.push(policy);
    return { Policy: policyView(policy, 0, true) };
  });
};

const getPolicy: Operation = (ctx, input) => {
  const state = readIam(ctx);
  const policy = requirePolicy(ctx, state, readPolicyArn(input), "iam:GetPolicy");
  return { Policy: policyView(policy, attachmentCount(state, policy.arn), true) };
};

const listPolicies: Operation = (ctx, input) => {
  const scope = readEnum(input, "Scope", ["All", "AWS", "Local"] as const) ?? "All";
  const onlyAttached = readBoolean(input, "OnlyAttached") ?? false;
  const pathPrefix = readPathPrefix(input);
  const usageFilter = readUsageFilter(input);
  ctx.authorize({ action: "iam:ListPolicies", resource: "*" });
  const state = readIam(ctx);
  // No policy here serves as a permissions boundary.
  const candidates = usageFilter === "PermissionsBoundary" ? [] : [...(scope === "Local" ? [] : AWS_MANAGED_POLICIES), ...(scope === "AWS" ? [] : state.policies)];
  const policies = candidates
    .filter((policy) => policy.path.startsWith(pathPrefix) && (!onlyAttached || attachmentCount(state, policy.arn) > 0))
    .sort(byName((policy) => policy.policyName));
  return listResult("Policies", policies, input, (policy) => policyView(policy, attachmentCount(state, policy.arn)));
};

const deletePolicy: Operation = (ctx, input) => {
  const arn = readPolicyArn(input);
  updateIam(ctx, (state) => {
    const policy = requirePolicy(ctx, state, arn, "iam:DeletePolicy", { forChange: true });
    if (attachmentCount(state, policy.arn) > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
    if (policy.versions.length > 1) {
      throw deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    state.policies = state.policies.filter((other) => other !== policy);
  });
};

const createPolicyVersion: Operation = (ctx, input) => {
  const arn = readPolicyArn(input);
  const text = readDocument(input);
  const setAsDefault = readBoolean(input, "SetAsDefault") ?? false;
  return updateIam(ctx, (state) => {
    const policy = requirePolicy(ctx, state, arn, "iam:CreatePolicyVersion", { forChange: true });
    const document = validatedManagedDocument(text);
    if (policy.versions.length >= MAX_VERSIONS) {
      throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
    }
    const createDate = ctx.now().toISOString();
    const version = { versionId: `v${policy.nextVersionNumber}`, document, createDate };
    policy.nextVersionNumber += 1;
    policy.versions.push(version);
    if (setAsDefault) {
      policy.defaultVersionId = version.versionId;
      policy.updateDate = createDate;
    }
    return { PolicyVersion: policyVersionView(policy, version) };
  });
};

const getPolicyVersion: Operation = (ctx, input) => {
  const arn = readPolicyArn(input);
  const versionId = readVersionId(input);
  const policy = requirePolicy(ctx, readIam(ctx), arn, "iam:GetPolicyVersion");
  return { PolicyVersion: policyVersionView(policy, requireVersion(policy, versionId), true) };
};

const listPolicyVersions: Operation = (ctx, input) => {
  const policy = requirePolicy(ctx, readIam(ctx), readPolicyArn(input), "iam:ListPolicyVersions");
  const newestFirst = [...policy.versions].reverse();
  return listResult("Versions", newestFirst, input, (version) => policyVersionView(policy, version));
};

const deletePolicyVersion: Operation = (ctx, input) => {
  const arn = readPolicyArn(input);
  const versionId = readVersionId(input);
  updateIam(ctx, (state) => {
    const policy = requirePolicy(ctx, state, arn, "iam:DeletePolicyVersion", { forChange: true });
    const version = requireVersion(policy, versionId);
    if (version.versionId === policy.defaultVersionId) throw deleteConflict("Cannot delete the default version of a policy.");
    policy.versions = policy.versions.filter((other) => other !== version);
  });
};

const setDefaultPolicyVersion: Operation = (ctx, input) => {
  const arn = readPolicyArn(input);
  const versionId = readVersionId(input);
  updateIam(ctx, (state) => {
    const policy = requirePolicy(ctx, state, arn, "iam:SetDefaultPolicyVersion", { forChange: true });
    policy.defaultVersionId = requireVersion(policy, versionId).versionId;
    policy.updateDate = ctx.now().toISOString();
  });
};

interface PolicyEntity {
  type: "Group" | "User" | "Role";
  name: string;
  id: string;
  path: string;
}

const listEntitiesForPolicy: Operation = (ctx, input) => {
  const arn = readPolicyArn(input);
  const entityFilter = readEnum(input, "EntityFilter", ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"] as const);
  const pathPrefix = readPathPrefix(input);
  const usageFilter = readUsageFilter(input);
  const state = readIam(ctx);
  const policy = requirePolicy(ctx, state, arn, "iam:ListEntitiesForPolicy");
  const policyKind = isAwsManaged(policy) ? "AWSManagedPolicy" : "LocalManagedPolicy";
  const wanted = (type: PolicyEntity["type"]) => entityFilter === undefined || entityFilter === type || entityFilter === policyKind;
  const attached = (holder: { attachedPolicyArns: string[] }) => holder.attachedPolicyArns.includes(policy.arn);
  const entities: PolicyEntity[] = [
    ...state.groups.filter(attached).map((group) => ({ type: "Group" as const, name: group.groupName, id: group.groupId, path: group.path })),
    ...state.users.filter(attached).map((user) => ({ type: "User" as const, name: user.userName, id: user.userId, path: user.path })),
    ...state.roles.filter(attached).map((role) => ({ type: "Role" as const, name: role.roleName, id: role.roleId, path: role.path })),
  ].filter((entity) => usageFilter !== "PermissionsBoundary" && wanted(entity.type) && entity.path.startsWith(pathPrefix));
  const { items, ...more } = paginate(entities, input);
  const ofType = (type: PolicyEntity["type"]) => items.filter((entity) => entity.type === type);
  return {
    PolicyGroups: ofType("Group").map((group) => ({ GroupName: group.name, GroupId: group.id })),
    PolicyUsers: ofType("User").map((user) => ({ UserName: user.name, UserId: user.id })),
    PolicyRoles: ofType("Role").map((role) => ({ RoleName: role.name, RoleId: role.id })),
    ...more,
  };
};

const policyTagTarget: TagTarget = {
  noun: "Policy",
  readKey: (input) => readPolicyArn(input),
  locate: (ctx, state, arn, action, context, forChange) => requirePolicy(ctx, state, arn, action, { forChange, context }),
};

export const policyOperations: Record<string, Operation> = {
  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  ListPolicies: listPolicies,
  DeletePolicy: deletePolicy,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  ListEntitiesForPolicy: listEntitiesForPolicy,
  ...tagOperations(policyTagTarget),
};

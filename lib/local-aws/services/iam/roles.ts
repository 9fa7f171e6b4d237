/** IAM roles: create, get, list, update, trust policy, delete, and their policies and tags. */
import { displayedPolicy, withPrincipalIds } from "../../auth/principal-ids.ts";
import { deleteConflict, entityAlreadyExists, malformedPolicyDocument } from "../../errors.ts";
import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { optionalInteger } from "../input.ts";
import { iamArn } from "./arns.ts";
import { attachedPolicyOperations } from "./attached-policies.ts";
import { validatedDocument } from "./documents.ts";
import { findHolder, readHolderName, requireHolder, ROLES } from "./holders.ts";
import { inlinePolicyOperations } from "./inline-policies.ts";
import { readIam, updateIam, type RoleRecord } from "./model.ts";
import { byName, listResult } from "./pagination.ts";
import { newRole } from "./records.ts";
import { holderTagTarget, tagOperations } from "./tag-operations.ts";
import { readTags, requestTagContext } from "./tags.ts";
import { ROLE_DESCRIPTION, optionalText, POLICY_DOCUMENT, readPath, readPathPrefix, rejectUnsupported, requiredText } from "./validation.ts";
import { roleView } from "./views.ts";

const DEFAULT_MAX_SESSION_DURATION = 3600;

const readMaxSessionDuration = (input: OperationInput) => optionalInteger(input, "MaxSessionDuration", 3600, 43200);

/** A submitted trust policy, validated, and parsed with its principals by unique ID (auth/principal-ids.ts). */
function trustPolicy(ctx: OperationContext, text: string) {
  const trust = validatedDocument(text, "trust");
  return { text: trust.json, document: withPrincipalIds(ctx.store, trust.document, (arn) => malformedPolicyDocument(`Invalid principal in policy: "AWS":"${arn}"`)) };
}

const view = (ctx: OperationContext, role: RoleRecord, detailed = false) => roleView(role, displayedPolicy(ctx.store, role.assumeRolePolicyDocument, role.assumeRolePolicyText), detailed);

const createRole: Operation = (ctx, input) => {
  const roleName = readHolderName(input, ROLES);
  const path = readPath(input);
  const trustPolicyInput = requiredText(input, "AssumeRolePolicyDocument", POLICY_DOCUMENT);
  const description = optionalText(input, "Description", ROLE_DESCRIPTION);
  const maxSessionDuration = readMaxSessionDuration(input) ?? DEFAULT_MAX_SESSION_DURATION;
  const tags = readTags(input);
  rejectUnsupported(input, "PermissionsBoundary");
  return updateIam(ctx, (state) => {
    const accountId = ctx.principal.accountId;
    ctx.authorize({ action: "iam:CreateRole", resource: iamArn(accountId, "role", path, roleName), context: requestTagContext(tags) });
    if (findHolder(state, ROLES, roleName)) throw entityAlreadyExists(`Role with name ${roleName} already exists.`);
    const trust = trustPolicy(ctx, trustPolicyInput);
    const role = newRole(accountId, { roleName, path, description, maxSessionDuration, trustPolicy: trust.document, trustPolicyText: trust.text, tags }, ctx.now());
    state.roles.push(role);
    return { Role: view(ctx, role, true) };
  });
};

const getRole: Operation = (ctx, input) => {
  const role = requireHolder(ctx, readIam(ctx), ROLES, readHolderName(input, ROLES), "iam:GetRole");
  return { Role: view(ctx, role, true) };
};

const listRoles: Operation = (ctx, input) => {
  const pathPrefix = readPathPrefix(input);
  ctx.authorize({ action: "iam:ListRoles", resource: iamArn(ctx.principal.accountId, "role", "/", "*") });
  const roles = readIam(ctx)
    .roles.filter((role) => role.path.startsWith(pathPrefix))
    .sort(byName((role) => role.roleName));
  return listResult("Roles", roles, input, (role) => view(ctx, role));
};

const updateRole: Operation = (ctx, input) => {
  const roleName = readHolderName(input, ROLES);
  const description = optionalText(input, "Description", ROLE_DESCRIPTION);
  const maxSessionDuration = readMaxSessionDuration(input);
  updateIam(ctx, (state) => {
    const role = requireHolder(ctx, state, ROLES, roleName, "iam:UpdateRole");
    if (description !== undefined) role.description = description;
    if (maxSessionDuration !== undefined) role.maxSessionDuration = maxSessionDuration;
  });
  return {};
};

const updateAssumeRolePolicy: Operation = (ctx, input) => {
  const roleName = readHolderName(input, ROLES);
  const text = requiredText(input, "PolicyDocument", POLICY_DOCUMENT);
  updateIam(ctx, (state) => {
    const role = requireHolder(ctx, state, ROLES, roleName, "iam:UpdateAssumeRolePolicy");
    const trust = trustPolicy(ctx, text);
    role.assumeRolePolicyDocument = trust.document;
    role.assumeRolePolicyText = trust.text;
  });
};

const deleteRole: Operation = (ctx, input) => {
  const roleName = readHolderName(input, ROLES);
  updateIam(ctx, (state) => {
    const role = requireHolder(ctx, state, ROLES, roleName, "iam:DeleteRole");
    if (role.attachedPolicyArns.length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
    if (role.inlinePolicies.length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
    state.roles = state.roles.filter((other) => other !== role);
  });
};

export const roleOperations: Record<string, Operation> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  ...attachedPolicyOperations(ROLES),
  ...inlinePolicyOperations(ROLES),
  ...tagOperations(holderTagTarget(ROLES)),
};

/** IAM users: CreateUser, GetUser, ListUsers, DeleteUser, and their policies and tags. */
import { deleteConflict, entityAlreadyExists, validationError } from "../../errors.ts";
import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { iamArn } from "./arns.ts";
import { attachedPolicyOperations } from "./attached-policies.ts";
import { findHolder, readHolderName, requireHolder, USERS } from "./holders.ts";
import { inlinePolicyOperations } from "./inline-policies.ts";
import { accessKeysOfUser, groupsOfUser, readIam, updateIam } from "./model.ts";
import { byName, listResult } from "./pagination.ts";
import { newUser } from "./records.ts";
import { holderTagTarget, tagOperations } from "./tag-operations.ts";
import { readTags, requestTagContext } from "./tags.ts";
import { optionalText, readPath, readPathPrefix, rejectUnsupported, USER_NAME } from "./validation.ts";
import { userView } from "./views.ts";

/** `UserName` when given, else the calling user's name (GetUser, access key operations). */
export function userNameOrCaller(ctx: OperationContext, input: OperationInput): string {
  const given = optionalText(input, "UserName", USER_NAME);
  if (given !== undefined) return given;
  if (ctx.principal.kind !== "user" || ctx.principal.userName === undefined) {
    throw validationError("Must specify userName when calling with non-User credentials");
  }
  return ctx.principal.userName;
}

const createUser: Operation = (ctx, input) => {
  const userName = readHolderName(input, USERS);
  const path = readPath(input);
  const tags = readTags(input);
  rejectUnsupported(input, "PermissionsBoundary");
  return updateIam(ctx, (state) => {
    const accountId = ctx.principal.accountId;
    ctx.authorize({ action: "iam:CreateUser", resource: iamArn(accountId, "user", path, userName), context: requestTagContext(tags) });
    if (findHolder(state, USERS, userName)) throw entityAlreadyExists(`User with name ${userName} already exists.`);
    const user = newUser(accountId, userName, path, tags, ctx.now());
    state.users.push(user);
    return { User: userView(user, true) };
  });
};

const getUser: Operation = (ctx, input) => {
  const user = requireHolder(ctx, readIam(ctx), USERS, userNameOrCaller(ctx, input), "iam:GetUser");
  return { User: userView(user, true) };
};

const listUsers: Operation = (ctx, input) => {
  const pathPrefix = readPathPrefix(input);
  ctx.authorize({ action: "iam:ListUsers", resource: iamArn(ctx.principal.accountId, "user", "/", "*") });
  const users = readIam(ctx)
    .users.filter((user) => user.path.startsWith(pathPrefix))
    .sort(byName((user) => user.userName));
  return listResult("Users", users, input, (user) => userView(user));
};

const deleteUser: Operation = (ctx, input) => {
  const userName = readHolderName(input, USERS);
  updateIam(ctx, (state) => {
    const user = requireHolder(ctx, state, USERS, userName, "iam:DeleteUser");
    if (accessKeysOfUser(state, user.userName).length > 0) throw deleteConflict("Cannot delete entity, must delete access keys first.");
    if (groupsOfUser(state, user.userName).length > 0) throw deleteConflict("Cannot delete entity, must remove users from group first.");
    if (user.attachedPolicyArns.length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
    if (user.inlinePolicies.length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
    state.users = state.users.filter((other) => other !== user);
  });
};

export const userOperations: Record<string, Operation> = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  DeleteUser: deleteUser,
  ...attachedPolicyOperations(USERS),
  ...inlinePolicyOperations(USERS),
  ...tagOperations(holderTagTarget(USERS)),
};

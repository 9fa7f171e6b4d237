/** IAM groups: create, get (with members), list, delete, membership, and their policies. */
import { deleteConflict, entityAlreadyExists, limitExceeded, noSuchEntity } from "../../errors.ts";
import type { Operation } from "../../service.ts";
import { iamArn } from "./arns.ts";
import { attachedPolicyOperations } from "./attached-policies.ts";
import { findHolder, GROUPS, noSuchHolder, readHolderName, requireHolder, USERS } from "./holders.ts";
import { inlinePolicyOperations } from "./inline-policies.ts";
import { groupsOfUser, readIam, sameName, updateIam } from "./model.ts";
import { byName, listResult } from "./pagination.ts";
import { newGroup } from "./records.ts";
import { readPath, readPathPrefix } from "./validation.ts";
import { groupView, userView } from "./views.ts";

const GROUPS_PER_USER = 10;

const createGroup: Operation = (ctx, input) => {
  const groupName = readHolderName(input, GROUPS);
  const path = readPath(input);
  return updateIam(ctx, (state) => {
    const accountId = ctx.principal.accountId;
    ctx.authorize({ action: "iam:CreateGroup", resource: iamArn(accountId, "group", path, groupName) });
    if (findHolder(state, GROUPS, groupName)) throw entityAlreadyExists(`Group with name ${groupName} already exists.`);
    const group = newGroup(accountId, groupName, path, ctx.now());
    state.groups.push(group);
    return { Group: groupView(group) };
  });
};

const getGroup: Operation = (ctx, input) => {
  const groupName = readHolderName(input, GROUPS);
  const state = readIam(ctx);
  const group = requireHolder(ctx, state, GROUPS, groupName, "iam:GetGroup");
  const members = state.users
    .filter((user) => group.memberNames.some((member) => sameName(member, user.userName)))
    .sort(byName((user) => user.userName));
  return { Group: groupView(group), ...listResult("Users", members, input, (user) => userView(user)) };
};

const listGroups: Operation = (ctx, input) => {
  const pathPrefix = readPathPrefix(input);
  ctx.authorize({ action: "iam:ListGroups", resource: iamArn(ctx.principal.accountId, "group", "/", "*") });
  const groups = readIam(ctx)
    .groups.filter((group) => group.path.startsWith(pathPrefix))
    .sort(byName((group) => group.groupName));
  return listResult("Groups", groups, input, groupView);
};

const deleteGroup: Operation = (ctx, input) => {
  const groupName = readHolderName(input, GROUPS);
  updateIam(ctx, (state) => {
    const group = requireHolder(ctx, state, GROUPS, groupName, "iam:DeleteGroup");
    if (group.memberNames.length > 0) throw deleteConflict("Cannot delete entity, must remove users from group first.");
    if (group.attachedPolicyArns.length > 0) throw deleteConflict("Cannot delete entity, must detach all policies first.");
    if (group.inlinePolicies.length > 0) throw deleteConflict("Cannot delete entity, must delete policies first.");
    state.groups = state.groups.filter((other) => other !== group);
  });
};

const addUserToGroup: Operation = (ctx, input) => {
  const groupName = readHolderName(input, GROUPS);
  const userName = readHolderName(input, USERS);
  updateIam(ctx, (state) => {
    const group = requireHolder(ctx, state, GROUPS, groupName, "iam:AddUserToGroup");
    const user = findHolder(state, USERS, userName);
    if (!user) throw noSuchHolder(USERS, userName);
    if (group.memberNames.some((member) => sameName(member, user.userName))) return;
    if (groupsOfUser(state, user.userName).length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
    group.memberNames.push(user.userName);
  });
};

const removeUserFromGroup: Operation = (ctx, input) => {
  const groupName = readHolderName(input, GROUPS);
  const userName = readHolderName(input, USERS);
  updateIam(ctx, (state) => {
    const group = requireHolder(ctx, state, GROUPS, groupName, "iam:RemoveUserFromGroup");
    if (!findHolder(state, USERS, userName)) throw noSuchHolder(USERS, userName);
    if (!group.memberNames.some((member) => sameName(member, userName))) {
      throw noSuchEntity(`The user with name ${userName} is not a member of group ${group.groupName}.`);
    }
    group.memberNames = group.memberNames.filter((member) => !sameName(member, userName));
  });
};

const listGroupsForUser: Operation = (ctx, input) => {
  const userName = readHolderName(input, USERS);
  const state = readIam(ctx);
  const user = requireHolder(ctx, state, USERS, userName, "iam:ListGroupsForUser");
  const groups = groupsOfUser(state, user.userName).sort(byName((group) => group.groupName));
  return listResult("Groups", groups, input, groupView);
};

export const groupOperations: Record<string, Operation> = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  ListGroups: listGroups,
  DeleteGroup: deleteGroup,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,
  ListGroupsForUser: listGroupsForUser,
  ...attachedPolicyOperations(GROUPS),
  ...inlinePolicyOperations(GROUPS),
};

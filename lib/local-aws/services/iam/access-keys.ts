/** Access keys of IAM users: create (two at most), list, activate/deactivate, delete, last use. */
import { limitExceeded, noSuchEntity } from "../../errors.ts";
import type { Operation, OperationInput } from "../../service.ts";
import { findHolder, requireHolder, USERS } from "./holders.ts";
import { accessKeysOfUser, readIam, updateIam, type AccessKeyRecord, type AccessKeyStatus, type IamState, type UserRecord } from "./model.ts";
import { listResult } from "./pagination.ts";
import { newAccessKey } from "./records.ts";
import { userNameOrCaller } from "./users.ts";
import { ACCESS_KEY_ID, missingParameter, readEnum, requiredText } from "./validation.ts";
import { accessKeyMetadataView } from "./views.ts";

const ACCESS_KEYS_PER_USER = 2;

const readAccessKeyId = (input: OperationInput) => requiredText(input, "AccessKeyId", ACCESS_KEY_ID);
const noSuchAccessKey = (accessKeyId: string) => noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);

function requireKeyOf(state: IamState, user: UserRecord, accessKeyId: string): AccessKeyRecord {
  const key = accessKeysOfUser(state, user.userName).find((candidate) => candidate.accessKeyId === accessKeyId);
  if (!key) throw noSuchAccessKey(accessKeyId);
  return key;
}

const createAccessKey: Operation = (ctx, input) => {
  const userName = userNameOrCaller(ctx, input);
  return updateIam(ctx, (state) => {
    const user = requireHolder(ctx, state, USERS, userName, "iam:CreateAccessKey");
    if (accessKeysOfUser(state, user.userName).length >= ACCESS_KEYS_PER_USER) {
      throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
    }
    const key = newAccessKey(user.userName, ctx.now());
    state.accessKeys.push(key);
    return { AccessKey: { ...accessKeyMetadataView(key), SecretAccessKey: key.secretAccessKey } };
  });
};

const listAccessKeys: Operation = (ctx, input) => {
  const userName = userNameOrCaller(ctx, input);
  const state = readIam(ctx);
  const user = requireHolder(ctx, state, USERS, userName, "iam:ListAccessKeys");
  return listResult("AccessKeyMetadata", accessKeysOfUser(state, user.userName), input, accessKeyMetadataView);
};

const updateAccessKey: Operation = (ctx, input) => {
  const userName = userNameOrCaller(ctx, input);
  const accessKeyId = readAccessKeyId(input);
  const status: AccessKeyStatus | undefined = readEnum(input, "Status", ["Active", "Inactive"] as const);
  if (status === undefined) throw missingParameter("Status");
  updateIam(ctx, (state) => {
    const user = requireHolder(ctx, state, USERS, userName, "iam:UpdateAccessKey");
    requireKeyOf(state, user, accessKeyId).status = status;
  });
};

const deleteAccessKey: Operation = (ctx, input) => {
  const userName = userNameOrCaller(ctx, input);
  const accessKeyId = readAccessKeyId(input);
  updateIam(ctx, (state) => {
    const user = requireHolder(ctx, state, USERS, userName, "iam:DeleteAccessKey");
    const key = requireKeyOf(state, user, accessKeyId);
    state.accessKeys = state.accessKeys.filter((other) => other !== key);
  });
};

const getAccessKeyLastUsed: Operation = (ctx, input) => {
  const accessKeyId = readAccessKeyId(input);
  const state = readIam(ctx);
  const key = state.accessKeys.find((candidate) => candidate.accessKeyId === accessKeyId);
  const owner = key && findHolder(state, USERS, key.userName);
  ctx.authorize({ action: "iam:GetAccessKeyLastUsed", resource: owner?.arn ?? "*" });
  if (!key) throw noSuchAccessKey(accessKeyId);
  const lastUsed = key.lastUsed
    ? { LastUsedDate: new Date(key.lastUsed.date), ServiceName: key.lastUsed.serviceName, Region: key.lastUsed.region }
    : { ServiceName: "N/A", Region: "N/A" };
  return { UserName: key.userName, AccessKeyLastUsed: lastUsed };
};

export const accessKeyOperations: Record<string, Operation> = {
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};

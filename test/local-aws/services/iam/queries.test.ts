import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  bootstrapAccount,
  findAccessKey,
  findRole,
  findRoleByArn,
  roleIdentityPolicies,
  touchAccessKeyLastUsed,
  userIdentityPolicies,
} from "../../../../lib/local-aws/services/iam/queries.ts";
import { iamTable } from "../../../../lib/local-aws/services/iam/model.ts";
import { Store } from "../../../../lib/local-aws/store/store.ts";
import { ACCOUNT, ALLOW_S3_READ, arn, harness, OTHER_ACCOUNT, policyJson, START, TRUST_SAGEMAKER, type Harness } from "./harness.ts";

const statementsOf = (documents: { Statement: unknown }[]) => documents.flatMap((document) => [document.Statement].flat());

describe("bootstrapAccount", () => {
  it("creates the configuration user with IAMFullAccess and one key, once", () => {
    const store = new Store(undefined);
    const first = bootstrapAccount(store, ACCOUNT, "customer_config", START);
    expect(first.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.secretAccessKey).toHaveLength(40);
    expect(bootstrapAccount(store, ACCOUNT, "customer_config")).toEqual(first);
    const state = iamTable(store).read(ACCOUNT);
    expect(state.users).toHaveLength(1);
    expect(state.users[0]).toMatchObject({ userName: "customer_config", arn: arn("user", "customer_config"), attachedPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"] });
    expect(state.accessKeys).toHaveLength(1);
  });

  it("gives the user a new key when its keys were deactivated", () => {
    const store = new Store(undefined);
    const first = bootstrapAccount(store, ACCOUNT, "customer_config");
    iamTable(store).update(ACCOUNT, (state) => {
      state.accessKeys[0]!.status = "Inactive";
    });
    expect(bootstrapAccount(store, ACCOUNT, "customer_config").accessKeyId).not.toBe(first.accessKeyId);
  });
});

describe("queries", () => {
  let iam: Harness;
  beforeEach(() => {
    iam = harness();
  });

  it("finds access keys in any of the given accounts", () => {
    const other = harness(iam.store, OTHER_ACCOUNT);
    other.call("CreateUser", { UserName: "saas_user", Path: "/saas/" });
    const { AccessKey } = other.call("CreateAccessKey", { UserName: "saas_user" });
    const found = findAccessKey(iam.store, [ACCOUNT, OTHER_ACCOUNT], AccessKey.AccessKeyId, START);
    expect(found).toEqual({
      accountId: OTHER_ACCOUNT,
      userName: "saas_user",
      userId: expect.stringMatching(/^AIDA/),
      userArn: arn("user", "saas/saas_user", OTHER_ACCOUNT),
      secretAccessKey: AccessKey.SecretAccessKey,
      status: "Active",
    });
    expect(findAccessKey(iam.store, [ACCOUNT], AccessKey.AccessKeyId, START)).toBeUndefined();
    other.call("UpdateAccessKey", { UserName: "saas_user", AccessKeyId: AccessKey.AccessKeyId, Status: "Inactive" });
    expect(findAccessKey(iam.store, [OTHER_ACCOUNT], AccessKey.AccessKeyId, START)?.status).toBe("Inactive");
  });

  it("gathers a user's inline, attached and group policies (default versions)", () => {
    const groupPolicy = policyJson([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }]);
    const v1 = policyJson([{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }]);
    const v2 = policyJson([{ Effect: "Deny", Action: "s3:ListBucket", Resource: "*" }]);
    const bob = iam.call("CreateUser", { UserName: "bob" }).User.UserId;
    iam.call("PutUserPolicy", { UserName: "bob", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    const policyArn = iam.call("CreatePolicy", { PolicyName: "list", PolicyDocument: v1 }).Policy.Arn;
    iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: v2 });
    iam.call("AttachUserPolicy", { UserName: "bob", PolicyArn: policyArn });
    iam.call("CreateGroup", { GroupName: "team" });
    iam.call("PutGroupPolicy", { GroupName: "team", PolicyName: "assume", PolicyDocument: groupPolicy });
    iam.call("AttachGroupPolicy", { GroupName: "team", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" });
    iam.call("AddUserToGroup", { GroupName: "team", UserName: "bob" });

    const documents = userIdentityPolicies(iam.store, ACCOUNT, bob, START);
    expect(documents).toEqual([JSON.parse(ALLOW_S3_READ), JSON.parse(v1), JSON.parse(groupPolicy), expect.objectContaining({ Version: "2012-10-17" })]);
    expect(statementsOf(documents)).toContainEqual({ Effect: "Allow", Action: ["s3:*", "s3-object-lambda:*"], Resource: "*" });

    iam.call("SetDefaultPolicyVersion", { PolicyArn: policyArn, VersionId: "v2" });
    expect(userIdentityPolicies(iam.store, ACCOUNT, bob, START)[1]).toEqual(JSON.parse(v2));
    expect(userIdentityPolicies(iam.store, ACCOUNT, "AIDANOBODY", START)).toEqual([]);
  });

  it("hands the policy engine the same object for the same document, so it compiles each once", () => {
    const bob = iam.call("CreateUser", { UserName: "bob" }).User.UserId;
    iam.call("PutUserPolicy", { UserName: "bob", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    expect(userIdentityPolicies(iam.store, ACCOUNT, bob, START)[0]).toBe(userIdentityPolicies(iam.store, ACCOUNT, bob, START)[0]);
  });

  it("gathers a role's policies and finds roles by name or ARN with their trust policy", () => {
    const trainer = iam.call("CreateRole", { RoleName: "trainer", Path: "/ml/", AssumeRolePolicyDocument: TRUST_SAGEMAKER, MaxSessionDuration: "7200" }).Role.RoleId;
    iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" });
    iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    const documents = roleIdentityPolicies(iam.store, ACCOUNT, trainer, START);
    expect(documents).toHaveLength(2);
    expect(statementsOf(documents)).toContainEqual(expect.objectContaining({ Sid: "AllowPassRoleToSageMaker" }));

    const role = findRole(iam.store, ACCOUNT, "TRAINER", START);
    expect(role).toMatchObject({
      roleName: "trainer",
      roleId: expect.stringMatching(/^AROA/),
      arn: arn("role", "ml/trainer"),
      maxSessionDuration: 7200,
      assumeRolePolicyDocument: JSON.parse(TRUST_SAGEMAKER),
    });
    expect(findRoleByArn(iam.store, arn("role", "ml/trainer"), START)).toBe(role);
    expect(findRoleByArn(iam.store, arn("role", "trainer"), START)).toBeUndefined();
    expect(findRoleByArn(iam.store, arn("role", "ml/trainer", OTHER_ACCOUNT), START)).toBeUndefined();
    expect(findRoleByArn(iam.store, arn("role", "ml/trainer", "333333333333"), START)).toBeUndefined();
    expect(iamTable(iam.store).accounts()).not.toContain("333333333333");
    expect(findRoleByArn(iam.store, "arn:aws:iam::111111111111:user/trainer", START)).toBeUndefined();
  });

  it("records key use at most once a minute for the same service and region", () => {
    const { accessKeyId } = bootstrapAccount(iam.store, ACCOUNT, "admin");
    const lastUsed = () => iamTable(iam.store).read(ACCOUNT).accessKeys[0]!.lastUsed;
    touchAccessKeyLastUsed(iam.store, ACCOUNT, accessKeyId, { serviceName: "iam", region: "us-east-1" }, START);
    touchAccessKeyLastUsed(iam.store, ACCOUNT, accessKeyId, { serviceName: "iam", region: "us-east-1" }, new Date(START.getTime() + 30_000));
    expect(lastUsed()?.date).toBe(START.toISOString());
    touchAccessKeyLastUsed(iam.store, ACCOUNT, accessKeyId, { serviceName: "sts", region: "us-east-1" }, new Date(START.getTime() + 31_000));
    expect(lastUsed()).toEqual({ date: new Date(START.getTime() + 31_000).toISOString(), serviceName: "sts", region: "us-east-1" });
    touchAccessKeyLastUsed(iam.store, ACCOUNT, accessKeyId, { serviceName: "sts", region: "us-east-1" }, new Date(START.getTime() + 120_000));
    expect(lastUsed()?.date).toBe(new Date(START.getTime() + 120_000).toISOString());
    touchAccessKeyLastUsed(iam.store, ACCOUNT, "AKIAUNKNOWNUNKNOWN00", { serviceName: "sts", region: "us-east-1" }, START);
  });
});

describe("persistence", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "iam-state-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps everything across a restart", () => {
    const before = harness(new Store(dir));
    before.call("CreateUser", { UserName: "bob", Tags: [{ Key: "a", Value: "b" }] });
    const key = before.call("CreateAccessKey", { UserName: "bob" }).AccessKey;
    before.call("CreateGroup", { GroupName: "team" });
    before.call("AddUserToGroup", { GroupName: "team", UserName: "bob" });
    before.call("CreateRole", { RoleName: "trainer", AssumeRolePolicyDocument: TRUST_SAGEMAKER });
    const policyArn = before.call("CreatePolicy", { PolicyName: "read", PolicyDocument: ALLOW_S3_READ }).Policy.Arn;
    before.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: ALLOW_S3_READ, SetAsDefault: "true" });
    before.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: policyArn });

    const after = harness(new Store(dir));
    expect(after.call("GetUser", { UserName: "bob" }).User).toEqual(before.call("GetUser", { UserName: "bob" }).User);
    expect(after.call("GetGroup", { GroupName: "team" }).Users).toHaveLength(1);
    expect(after.call("GetRole", { RoleName: "trainer" }).Role).toEqual(before.call("GetRole", { RoleName: "trainer" }).Role);
    expect(after.call("GetPolicy", { PolicyArn: policyArn }).Policy).toMatchObject({ DefaultVersionId: "v2", AttachmentCount: 1 });
    expect(findAccessKey(after.store, [ACCOUNT], key.AccessKeyId, START)?.secretAccessKey).toBe(key.SecretAccessKey);
    expect(findRole(after.store, ACCOUNT, "trainer", START)?.assumeRolePolicyDocument).toEqual(JSON.parse(TRUST_SAGEMAKER));
  });

  it("keeps nothing of an update that failed", () => {
    const store = new Store(dir);
    const iam = harness(store);
    iam.denyWhen((check) => check.action === "iam:CreateUser");
    expect(() => iam.call("CreateUser", { UserName: "bob" })).toThrow();
    expect(iamTable(new Store(dir)).read(ACCOUNT).users.map((user) => user.userName)).toEqual(["admin"]);
  });
});

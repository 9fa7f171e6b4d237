import { beforeEach, describe, expect, it } from "vitest";
import { touchAccessKeyLastUsed } from "../../../../lib/local-aws/services/iam/queries.ts";
import { ACCOUNT, arn, expectAwsError, harness, rolePrincipal, START, type Harness } from "./harness.ts";

let iam: Harness;
beforeEach(() => {
  iam = harness();
  iam.call("CreateUser", { UserName: "bob" });
});

describe("access keys", () => {
  it("creates a key: AKIA and 16 characters, a 40-character secret, active", () => {
    const { AccessKey } = iam.call("CreateAccessKey", { UserName: "BOB" });
    expect(AccessKey).toEqual({
      UserName: "bob",
      AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/),
      Status: "Active",
      SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9]{40}$/),
      CreateDate: START,
    });
    expect(iam.checks).toEqual([{ action: "iam:CreateAccessKey", resource: arn("user", "bob"), context: {} }]);
  });

  it("allows two keys per user", () => {
    iam.call("CreateAccessKey", { UserName: "bob" });
    iam.call("CreateAccessKey", { UserName: "bob" });
    expectAwsError(() => iam.call("CreateAccessKey", { UserName: "bob" }), "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2");
  });

  it("defaults to the calling user, and needs a name from role sessions", () => {
    const { AccessKey } = iam.call("CreateAccessKey");
    expect(AccessKey.UserName).toBe("admin");
    expect(iam.call("ListAccessKeys").AccessKeyMetadata).toHaveLength(2);
    iam.actAs(rolePrincipal());
    expectAwsError(() => iam.call("ListAccessKeys"), "ValidationError", "Must specify userName when calling with non-User credentials");
    expectAwsError(() => iam.call("CreateAccessKey"), "ValidationError");
  });

  it("lists keys without their secrets", () => {
    const { AccessKey } = iam.call("CreateAccessKey", { UserName: "bob" });
    expect(iam.call("ListAccessKeys", { UserName: "bob" })).toEqual({
      AccessKeyMetadata: [{ UserName: "bob", AccessKeyId: AccessKey.AccessKeyId, Status: "Active", CreateDate: START }],
      IsTruncated: false,
    });
    expect(iam.checks).toEqual([{ action: "iam:ListAccessKeys", resource: arn("user", "bob"), context: {} }]);
  });

  it("deactivates, reactivates and deletes keys of the named user only", () => {
    const { AccessKey } = iam.call("CreateAccessKey", { UserName: "bob" });
    const id = AccessKey.AccessKeyId;
    expect(iam.call("UpdateAccessKey", { UserName: "bob", AccessKeyId: id, Status: "Inactive" })).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:UpdateAccessKey", resource: arn("user", "bob"), context: {} }]);
    expect(iam.call("ListAccessKeys", { UserName: "bob" }).AccessKeyMetadata[0].Status).toBe("Inactive");
    expectAwsError(() => iam.call("UpdateAccessKey", { UserName: "bob", AccessKeyId: id, Status: "Expired" }), "ValidationError", /enum value set: \[Active, Inactive\]/);
    expectAwsError(() => iam.call("UpdateAccessKey", { UserName: "bob", AccessKeyId: id }), "ValidationError", /Value null at 'status'/);
    expectAwsError(() => iam.call("UpdateAccessKey", { AccessKeyId: id, Status: "Active" }), "NoSuchEntity", `The Access Key with id ${id} cannot be found.`);
    expectAwsError(() => iam.call("DeleteAccessKey", { AccessKeyId: id }), "NoSuchEntity");
    expectAwsError(() => iam.call("DeleteAccessKey", { UserName: "bob", AccessKeyId: "short" }), "ValidationError", /at 'accessKeyId'/);
    iam.call("DeleteAccessKey", { UserName: "bob", AccessKeyId: id });
    expect(iam.checks).toEqual([{ action: "iam:DeleteAccessKey", resource: arn("user", "bob"), context: {} }]);
    expect(iam.call("ListAccessKeys", { UserName: "bob" }).AccessKeyMetadata).toEqual([]);
  });

  it("reports when a key was last used", () => {
    const id = iam.call("CreateAccessKey", { UserName: "bob" }).AccessKey.AccessKeyId;
    expect(iam.call("GetAccessKeyLastUsed", { AccessKeyId: id })).toEqual({ UserName: "bob", AccessKeyLastUsed: { ServiceName: "N/A", Region: "N/A" } });
    expect(iam.checks).toEqual([{ action: "iam:GetAccessKeyLastUsed", resource: arn("user", "bob") }]);
    const usedAt = new Date(START.getTime() + 10_000);
    touchAccessKeyLastUsed(iam.store, ACCOUNT, id, { serviceName: "s3", region: "eu-west-1" }, usedAt);
    expect(iam.call("GetAccessKeyLastUsed", { AccessKeyId: id }).AccessKeyLastUsed).toEqual({ LastUsedDate: usedAt, ServiceName: "s3", Region: "eu-west-1" });
    expectAwsError(() => iam.call("GetAccessKeyLastUsed", { AccessKeyId: "AKIAAAAAAAAAAAAAAAAA" }), "NoSuchEntity");
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT, arn, expectAwsError, harness, rolePrincipal, START, ALLOW_S3_READ, type Harness } from "./harness.ts";

let iam: Harness;
beforeEach(() => {
  iam = harness();
});

describe("CreateUser", () => {
  it("creates a user with an AIDA id, its path in the ARN and its tags", () => {
    const { User } = iam.call("CreateUser", { UserName: "bob", Path: "/division/team/", Tags: [{ Key: "team", Value: "ml" }] });
    expect(User).toEqual({
      Path: "/division/team/",
      UserName: "bob",
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      Arn: arn("user", "division/team/bob"),
      CreateDate: START,
      Tags: [{ Key: "team", Value: "ml" }],
    });
    expect(iam.checks).toEqual([
      {
        action: "iam:CreateUser",
        resource: arn("user", "division/team/bob"),
        context: { "aws:RequestTag/team": "ml", "aws:TagKeys": ["team"] },
      },
    ]);
  });

  it("refuses a name that exists in another case", () => {
    iam.call("CreateUser", { UserName: "Bob" });
    expectAwsError(() => iam.call("CreateUser", { UserName: "bob" }), "EntityAlreadyExists", "User with name bob already exists.");
  });

  it("validates the name and the path as AWS does", () => {
    expectAwsError(
      () => iam.call("CreateUser", { UserName: "bob smith" }),
      "ValidationError",
      "1 validation error detected: Value 'bob smith' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    expectAwsError(
      () => iam.call("CreateUser", { UserName: "x".repeat(65) }),
      "ValidationError",
      /at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64$/,
    );
    expectAwsError(() => iam.call("CreateUser", {}), "ValidationError", /Value null at 'userName'.*must not be null/);
    expectAwsError(() => iam.call("CreateUser", { UserName: "bob", Path: "division" }), "ValidationError", /The specified value for path is invalid/);
    expect(iam.call("CreateUser", { UserName: "a.b+c=d,e@f-g_h" }).User.UserName).toBe("a.b+c=d,e@f-g_h");
  });

  it("accepts names that are also JavaScript property names", () => {
    iam.call("CreateUser", { UserName: "constructor" });
    iam.call("CreateUser", { UserName: "__proto__" });
    expect(iam.call("GetUser", { UserName: "__proto__" }).User.UserName).toBe("__proto__");
    expectAwsError(() => iam.call("GetUser", { UserName: "toString" }), "NoSuchEntity");
  });

  it("refuses permissions boundaries, which the local AWS does not enforce", () => {
    expectAwsError(() => iam.call("CreateUser", { UserName: "bob", PermissionsBoundary: "arn:aws:iam::aws:policy/IAMFullAccess" }), "NotImplemented");
  });

  it("stops before creating when authorization fails", () => {
    iam.denyWhen((check) => check.action === "iam:CreateUser");
    expectAwsError(() => iam.call("CreateUser", { UserName: "bob" }), "AccessDenied");
    iam.denyWhen(() => false);
    expectAwsError(() => iam.call("GetUser", { UserName: "bob" }), "NoSuchEntity");
  });
});

describe("GetUser", () => {
  it("finds users regardless of case and authorizes on their ARN with path", () => {
    iam.call("CreateUser", { UserName: "Bob", Path: "/ops/", Tags: [{ Key: "k", Value: "v" }] });
    const { User } = iam.call("GetUser", { UserName: "bob" });
    expect(User).toMatchObject({ UserName: "Bob", Arn: arn("user", "ops/Bob"), Tags: [{ Key: "k", Value: "v" }] });
    expect(iam.checks).toEqual([
      { action: "iam:GetUser", resource: arn("user", "ops/Bob"), context: { "aws:ResourceTag/k": "v", "iam:ResourceTag/k": "v" } },
    ]);
  });

  it("answers the caller's own user without a name", () => {
    const { User } = iam.call("GetUser");
    expect(User).toMatchObject({ UserName: "admin", Arn: arn("user", "admin") });
    expect(User.Tags).toBeUndefined();
    expect(iam.checks[0]).toMatchObject({ action: "iam:GetUser", resource: arn("user", "admin") });
  });

  it("needs a name when the caller is a role session", () => {
    iam.actAs(rolePrincipal());
    expectAwsError(() => iam.call("GetUser"), "ValidationError", "Must specify userName when calling with non-User credentials");
  });

  it("authorizes before saying a user does not exist", () => {
    expectAwsError(() => iam.call("GetUser", { UserName: "ghost" }), "NoSuchEntity", "The user with name ghost cannot be found.");
    expect(iam.checks).toEqual([{ action: "iam:GetUser", resource: arn("user", "ghost"), context: {} }]);
  });
});

describe("ListUsers", () => {
  beforeEach(() => {
    for (const name of ["carol", "Alice", "dave", "bob"]) iam.call("CreateUser", { UserName: name, Path: name === "dave" ? "/ops/" : "/" });
  });

  it("lists users by name, without tags, filtered by path prefix", () => {
    const all = iam.call("ListUsers");
    expect(all.Users.map((user: { UserName: string }) => user.UserName)).toEqual(["admin", "Alice", "bob", "carol", "dave"]);
    expect(all.IsTruncated).toBe(false);
    expect(all.Marker).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:ListUsers", resource: `arn:aws:iam::${ACCOUNT}:user/*` }]);
    expect(iam.call("ListUsers", { PathPrefix: "/ops" }).Users.map((user: { UserName: string }) => user.UserName)).toEqual(["dave"]);
  });

  it("pages with MaxItems and Marker", () => {
    const first = iam.call("ListUsers", { MaxItems: "2" });
    expect(first.Users.map((user: { UserName: string }) => user.UserName)).toEqual(["admin", "Alice"]);
    expect(first.IsTruncated).toBe(true);
    const second = iam.call("ListUsers", { MaxItems: "2", Marker: first.Marker });
    expect(second.Users.map((user: { UserName: string }) => user.UserName)).toEqual(["bob", "carol"]);
    const third = iam.call("ListUsers", { MaxItems: "2", Marker: second.Marker });
    expect(third).toMatchObject({ Users: [{ UserName: "dave" }], IsTruncated: false });
  });

  it("rejects bad MaxItems and markers", () => {
    expectAwsError(() => iam.call("ListUsers", { MaxItems: "0" }), "ValidationError", /greater than or equal to 1/);
    expectAwsError(() => iam.call("ListUsers", { MaxItems: "1001" }), "ValidationError", /less than or equal to 1000/);
    expectAwsError(() => iam.call("ListUsers", { MaxItems: "ten" }), "ValidationError");
    expectAwsError(() => iam.call("ListUsers", { Marker: "garbage" }), "ValidationError", "Invalid Marker.");
  });
});

describe("DeleteUser", () => {
  beforeEach(() => {
    iam.call("CreateUser", { UserName: "bob" });
  });

  it("deletes a user with nothing attached", () => {
    expect(iam.call("DeleteUser", { UserName: "BOB" })).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:DeleteUser", resource: arn("user", "bob"), context: {} }]);
    expectAwsError(() => iam.call("GetUser", { UserName: "bob" }), "NoSuchEntity");
  });

  it("refuses while the user has access keys, groups, attached or inline policies", () => {
    const { AccessKey } = iam.call("CreateAccessKey", { UserName: "bob" });
    expectAwsError(() => iam.call("DeleteUser", { UserName: "bob" }), "DeleteConflict", "Cannot delete entity, must delete access keys first.");
    iam.call("DeleteAccessKey", { UserName: "bob", AccessKeyId: AccessKey.AccessKeyId });

    iam.call("CreateGroup", { GroupName: "team" });
    iam.call("AddUserToGroup", { GroupName: "team", UserName: "bob" });
    expectAwsError(() => iam.call("DeleteUser", { UserName: "bob" }), "DeleteConflict", "Cannot delete entity, must remove users from group first.");
    iam.call("RemoveUserFromGroup", { GroupName: "team", UserName: "bob" });

    iam.call("AttachUserPolicy", { UserName: "bob", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" });
    expectAwsError(() => iam.call("DeleteUser", { UserName: "bob" }), "DeleteConflict", "Cannot delete entity, must detach all policies first.");
    iam.call("DetachUserPolicy", { UserName: "bob", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" });

    iam.call("PutUserPolicy", { UserName: "bob", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    expectAwsError(() => iam.call("DeleteUser", { UserName: "bob" }), "DeleteConflict", "Cannot delete entity, must delete policies first.");
    iam.call("DeleteUserPolicy", { UserName: "bob", PolicyName: "read" });

    iam.call("DeleteUser", { UserName: "bob" });
  });

  it("answers NoSuchEntity for an unknown user", () => {
    expectAwsError(() => iam.call("DeleteUser", { UserName: "ghost" }), "NoSuchEntity", "The user with name ghost cannot be found.");
  });
});

describe("user tags", () => {
  beforeEach(() => {
    iam.call("CreateUser", { UserName: "bob", Tags: [{ Key: "Env", Value: "dev" }] });
  });

  it("adds, replaces (keys are case-insensitive), lists and removes tags", () => {
    expect(iam.call("TagUser", { UserName: "bob", Tags: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "ml" }] })).toBeUndefined();
    expect(iam.checks).toEqual([
      {
        action: "iam:TagUser",
        resource: arn("user", "bob"),
        context: {
          "aws:ResourceTag/Env": "dev",
          "iam:ResourceTag/Env": "dev",
          "aws:RequestTag/env": "prod",
          "aws:RequestTag/team": "ml",
          "aws:TagKeys": ["env", "team"],
        },
      },
    ]);
    expect(iam.call("ListUserTags", { UserName: "bob" })).toEqual({
      Tags: [
        { Key: "env", Value: "prod" },
        { Key: "team", Value: "ml" },
      ],
      IsTruncated: false,
    });
    expect(iam.checks[0]).toMatchObject({ action: "iam:ListUserTags", resource: arn("user", "bob") });
    iam.call("UntagUser", { UserName: "bob", TagKeys: ["ENV"] });
    expect(iam.checks[0]).toMatchObject({ action: "iam:UntagUser", resource: arn("user", "bob"), context: { "aws:TagKeys": ["ENV"] } });
    expect(iam.call("ListUserTags", { UserName: "bob" }).Tags).toEqual([{ Key: "team", Value: "ml" }]);
  });

  it("enforces AWS's tag limits", () => {
    const tags = (count: number, prefix = "k") => Array.from({ length: count }, (_, i) => ({ Key: `${prefix}${i}`, Value: "v" }));
    expectAwsError(() => iam.call("TagUser", { UserName: "bob", Tags: tags(51) }), "ValidationError", /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50/);
    expectAwsError(() => iam.call("TagUser", { UserName: "bob", Tags: [{ Key: "k".repeat(129), Value: "v" }] }), "ValidationError", /at 'tags.1.member.key'.*less than or equal to 128/);
    expectAwsError(() => iam.call("TagUser", { UserName: "bob", Tags: [{ Key: "k", Value: "v".repeat(257) }] }), "ValidationError", /at 'tags.1.member.value'.*less than or equal to 256/);
    expectAwsError(() => iam.call("TagUser", { UserName: "bob", Tags: [{ Key: "bad*key", Value: "v" }] }), "ValidationError", /regular expression pattern/);
    expectAwsError(
      () => iam.call("TagUser", { UserName: "bob", Tags: [{ Key: "a", Value: "1" }, { Key: "A", Value: "2" }] }),
      "InvalidInput",
      "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );
    expectAwsError(() => iam.call("TagUser", { UserName: "bob" }), "ValidationError", /Value null at 'tags'/);
    iam.call("TagUser", { UserName: "bob", Tags: tags(49) });
    expectAwsError(() => iam.call("TagUser", { UserName: "bob", Tags: tags(2, "x") }), "LimitExceeded", "Cannot exceed quota for TagsPerUser: 50");
    expect(iam.call("ListUserTags", { UserName: "bob" }).Tags).toHaveLength(50);
    expect(iam.call("ListUserTags", { UserName: "bob", MaxItems: "20" })).toMatchObject({ IsTruncated: true, Marker: expect.any(String) });
  });

  it("accepts Unicode letters and spaces in tags, as IAM does", () => {
    iam.call("TagUser", { UserName: "bob", Tags: [{ Key: "équipe données", Value: "" }] });
    expect(iam.call("ListUserTags", { UserName: "bob" }).Tags).toContainEqual({ Key: "équipe données", Value: "" });
  });
});

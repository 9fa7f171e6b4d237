import { beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT, ALLOW_S3_READ, arn, expectAwsError, harness, START, type Harness } from "./harness.ts";

let iam: Harness;
beforeEach(() => {
  iam = harness();
});

describe("groups", () => {
  it("creates a group with an AGPA id and its path", () => {
    expect(iam.call("CreateGroup", { GroupName: "Analysts", Path: "/data/" })).toEqual({
      Group: { Path: "/data/", GroupName: "Analysts", GroupId: expect.stringMatching(/^AGPA[A-Z2-7]{17}$/), Arn: arn("group", "data/Analysts"), CreateDate: START },
    });
    expect(iam.checks).toEqual([{ action: "iam:CreateGroup", resource: arn("group", "data/Analysts") }]);
    expectAwsError(() => iam.call("CreateGroup", { GroupName: "analysts" }), "EntityAlreadyExists", "Group with name analysts already exists.");
    expectAwsError(() => iam.call("CreateGroup", { GroupName: "g".repeat(129) }), "ValidationError", /length less than or equal to 128/);
  });

  it("gets a group with its members, paged", () => {
    iam.call("CreateGroup", { GroupName: "team" });
    for (const name of ["zoe", "amy", "kim"]) {
      iam.call("CreateUser", { UserName: name });
      iam.call("AddUserToGroup", { GroupName: "team", UserName: name.toUpperCase() });
    }
    expect(iam.checks).toEqual([{ action: "iam:AddUserToGroup", resource: arn("group", "team"), context: {} }]);
    const page = iam.call("GetGroup", { GroupName: "TEAM", MaxItems: "2" });
    expect(page).toMatchObject({ Group: { GroupName: "team" }, Users: [{ UserName: "amy" }, { UserName: "kim" }], IsTruncated: true });
    expect(iam.checks).toEqual([{ action: "iam:GetGroup", resource: arn("group", "team"), context: {} }]);
    expect(iam.call("GetGroup", { GroupName: "team", Marker: page.Marker })).toMatchObject({ Users: [{ UserName: "zoe" }], IsTruncated: false });
  });

  it("lists groups by name and path prefix", () => {
    iam.call("CreateGroup", { GroupName: "b" });
    iam.call("CreateGroup", { GroupName: "a", Path: "/x/" });
    expect(iam.call("ListGroups").Groups.map((group: { GroupName: string }) => group.GroupName)).toEqual(["a", "b"]);
    expect(iam.checks).toEqual([{ action: "iam:ListGroups", resource: `arn:aws:iam::${ACCOUNT}:group/*` }]);
    expect(iam.call("ListGroups", { PathPrefix: "/x/" }).Groups).toHaveLength(1);
  });

  it("manages membership idempotently, with AWS's errors and the 10-groups quota", () => {
    iam.call("CreateUser", { UserName: "bob" });
    iam.call("CreateGroup", { GroupName: "g0" });
    iam.call("AddUserToGroup", { GroupName: "g0", UserName: "bob" });
    iam.call("AddUserToGroup", { GroupName: "g0", UserName: "bob" });
    expect(iam.call("GetGroup", { GroupName: "g0" }).Users).toHaveLength(1);
    expectAwsError(() => iam.call("AddUserToGroup", { GroupName: "g0", UserName: "ghost" }), "NoSuchEntity", "The user with name ghost cannot be found.");
    expectAwsError(() => iam.call("AddUserToGroup", { GroupName: "nope", UserName: "bob" }), "NoSuchEntity", "The group with name nope cannot be found.");
    for (let i = 1; i < 10; i++) {
      iam.call("CreateGroup", { GroupName: `g${i}` });
      iam.call("AddUserToGroup", { GroupName: `g${i}`, UserName: "bob" });
    }
    iam.call("CreateGroup", { GroupName: "g10" });
    expectAwsError(() => iam.call("AddUserToGroup", { GroupName: "g10", UserName: "bob" }), "LimitExceeded", "Cannot exceed quota for GroupsPerUser: 10");

    const groups = iam.call("ListGroupsForUser", { UserName: "bob", MaxItems: "3" });
    expect(groups.Groups.map((group: { GroupName: string }) => group.GroupName)).toEqual(["g0", "g1", "g2"]);
    expect(iam.checks).toEqual([{ action: "iam:ListGroupsForUser", resource: arn("user", "bob"), context: {} }]);

    iam.call("RemoveUserFromGroup", { GroupName: "g0", UserName: "BOB" });
    expect(iam.checks).toEqual([{ action: "iam:RemoveUserFromGroup", resource: arn("group", "g0"), context: {} }]);
    expect(iam.call("GetGroup", { GroupName: "g0" }).Users).toEqual([]);
    expectAwsError(() => iam.call("RemoveUserFromGroup", { GroupName: "g0", UserName: "bob" }), "NoSuchEntity");
  });

  it("deletes a group only once it has no members and no policies", () => {
    iam.call("CreateUser", { UserName: "bob" });
    iam.call("CreateGroup", { GroupName: "team" });
    iam.call("AddUserToGroup", { GroupName: "team", UserName: "bob" });
    expectAwsError(() => iam.call("DeleteGroup", { GroupName: "team" }), "DeleteConflict", "Cannot delete entity, must remove users from group first.");
    iam.call("RemoveUserFromGroup", { GroupName: "team", UserName: "bob" });
    iam.call("AttachGroupPolicy", { GroupName: "team", PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" });
    expectAwsError(() => iam.call("DeleteGroup", { GroupName: "team" }), "DeleteConflict", "Cannot delete entity, must detach all policies first.");
    iam.call("DetachGroupPolicy", { GroupName: "team", PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" });
    iam.call("PutGroupPolicy", { GroupName: "team", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    expectAwsError(() => iam.call("DeleteGroup", { GroupName: "team" }), "DeleteConflict", "Cannot delete entity, must delete policies first.");
    iam.call("DeleteGroupPolicy", { GroupName: "team", PolicyName: "read" });
    iam.call("DeleteGroup", { GroupName: "team" });
    expect(iam.checks).toEqual([{ action: "iam:DeleteGroup", resource: arn("group", "team"), context: {} }]);
    expectAwsError(() => iam.call("GetGroup", { GroupName: "team" }), "NoSuchEntity", "The group with name team cannot be found.");
  });

  it("keeps inline group policies under the 5120-character quota", () => {
    iam.call("CreateGroup", { GroupName: "team" });
    const bigDocument = (resources: number) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: resources }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
    iam.call("PutGroupPolicy", { GroupName: "team", PolicyName: "one", PolicyDocument: bigDocument(100) });
    expectAwsError(
      () => iam.call("PutGroupPolicy", { GroupName: "team", PolicyName: "two", PolicyDocument: bigDocument(100) }),
      "LimitExceeded",
      "Maximum policy size of 5120 bytes exceeded for group team",
    );
    // Replacing a policy counts its new size, not the old one's too.
    iam.call("PutGroupPolicy", { GroupName: "team", PolicyName: "one", PolicyDocument: bigDocument(150) });
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT, ALLOW_S3_READ, arn, expectAwsError, harness, OTHER_ACCOUNT, policyJson, START, TRUST_SAGEMAKER, type Harness } from "./harness.ts";

let iam: Harness;
beforeEach(() => {
  iam = harness();
});

const IAM_FULL_ACCESS = "arn:aws:iam::aws:policy/IAMFullAccess";
const SAGEMAKER_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess";
const S3_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
const WRITE_S3 = policyJson([{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::bucket/*" }]);

const createPolicy = (input: Record<string, unknown> = {}) =>
  iam.call("CreatePolicy", { PolicyName: "ReadData", PolicyDocument: ALLOW_S3_READ, ...input }).Policy;

describe("CreatePolicy and GetPolicy", () => {
  it("creates a customer managed policy at version v1", () => {
    const policy = createPolicy({ Path: "/data/", Description: "Reads the data", Tags: [{ Key: "owner", Value: "ml" }] });
    expect(policy).toEqual({
      PolicyName: "ReadData",
      PolicyId: expect.stringMatching(/^ANPA[A-Z2-7]{17}$/),
      Arn: arn("policy", "data/ReadData"),
      Path: "/data/",
      DefaultVersionId: "v1",
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: "Reads the data",
      CreateDate: START,
      UpdateDate: START,
      Tags: [{ Key: "owner", Value: "ml" }],
    });
    expect(iam.checks).toEqual([
      { action: "iam:CreatePolicy", resource: arn("policy", "data/ReadData"), context: { "aws:RequestTag/owner": "ml", "aws:TagKeys": ["owner"] } },
    ]);
  });

  it("refuses duplicate names, bad documents and oversized documents", () => {
    createPolicy();
    expectAwsError(() => createPolicy({ PolicyName: "readdata", Path: "/other/" }), "EntityAlreadyExists", "A policy called readdata already exists. Duplicate names are not allowed.");
    expectAwsError(() => createPolicy({ PolicyName: "Trust", PolicyDocument: TRUST_SAGEMAKER }), "MalformedPolicyDocument");
    expectAwsError(() => createPolicy({ PolicyName: "Bad", PolicyDocument: "[]" }), "MalformedPolicyDocument");
    const resources = Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
    expectAwsError(
      () => createPolicy({ PolicyName: "Huge", PolicyDocument: policyJson([{ Effect: "Allow", Action: "s3:GetObject", Resource: resources }]) }),
      "LimitExceeded",
      "Cannot exceed quota for PolicySize: 6144",
    );
    expectAwsError(() => createPolicy({ PolicyName: "p".repeat(129) }), "ValidationError", /at 'policyName'.*less than or equal to 128/);
  });

  it("gets a policy with its attachment count", () => {
    const policy = createPolicy();
    iam.call("CreateUser", { UserName: "bob" });
    iam.call("AttachUserPolicy", { UserName: "bob", PolicyArn: policy.Arn });
    iam.call("CreateRole", { RoleName: "trainer", AssumeRolePolicyDocument: TRUST_SAGEMAKER });
    iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: policy.Arn });
    expect(iam.call("GetPolicy", { PolicyArn: policy.Arn }).Policy).toMatchObject({ PolicyName: "ReadData", AttachmentCount: 2 });
    expect(iam.checks).toEqual([{ action: "iam:GetPolicy", resource: policy.Arn, context: {} }]);
    expectAwsError(() => iam.call("GetPolicy", { PolicyArn: arn("policy", "Nope") }), "NoSuchEntity", `Policy ${arn("policy", "Nope")} was not found.`);
    expectAwsError(() => iam.call("GetPolicy", { PolicyArn: arn("policy", "other/ReadData") }), "NoSuchEntity");
  });
});

describe("AWS managed policies", () => {
  it("are readable in every account, with their real documents", () => {
    const { Policy } = iam.call("GetPolicy", { PolicyArn: SAGEMAKER_FULL_ACCESS });
    expect(Policy).toMatchObject({ PolicyName: "AmazonSageMakerFullAccess", Path: "/", Arn: SAGEMAKER_FULL_ACCESS, AttachmentCount: 0, IsAttachable: true });
    const { PolicyVersion } = iam.call("GetPolicyVersion", { PolicyArn: SAGEMAKER_FULL_ACCESS, VersionId: Policy.DefaultVersionId });
    expect(PolicyVersion.IsDefaultVersion).toBe(true);
    const document = JSON.parse(decodeURIComponent(PolicyVersion.Document));
    expect(document.Statement).toContainEqual({
      Sid: "AllowPassRoleToSageMaker",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: "arn:aws:iam::*:role/*",
      Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
    });
    expect(document.Statement).toContainEqual(expect.objectContaining({ Sid: "AllowPassRoleForSageMakerRoles", Resource: "arn:aws:iam::*:role/*AmazonSageMaker*" }));
    expect(document.Statement).toContainEqual(
      expect.objectContaining({ Sid: "AllowS3ObjectActions", Resource: ["arn:aws:s3:::*SageMaker*", "arn:aws:s3:::*Sagemaker*", "arn:aws:s3:::*sagemaker*", "arn:aws:s3:::*aws-glue*"] }),
    );
    expect(document.Statement).toContainEqual(expect.objectContaining({ Sid: "AllowS3BucketActions", Resource: "*", Action: expect.arrayContaining(["s3:ListBucket", "s3:ListAllMyBuckets", "s3:CreateBucket", "s3:GetBucketLocation"]) }));
    const iamFull = JSON.parse(decodeURIComponent(iam.call("GetPolicyVersion", { PolicyArn: IAM_FULL_ACCESS, VersionId: "v2" }).PolicyVersion.Document));
    expect(iamFull.Statement[0].Action).toContain("iam:*");
  });

  it("count the account's own attachments only", () => {
    iam.call("CreateUser", { UserName: "bob" });
    iam.call("AttachUserPolicy", { UserName: "bob", PolicyArn: IAM_FULL_ACCESS });
    expect(iam.call("GetPolicy", { PolicyArn: IAM_FULL_ACCESS }).Policy.AttachmentCount).toBe(2);
    const other = harness(iam.store, OTHER_ACCOUNT);
    expect(other.call("GetPolicy", { PolicyArn: IAM_FULL_ACCESS }).Policy.AttachmentCount).toBe(1);
    iam.call("DetachUserPolicy", { UserName: "bob", PolicyArn: IAM_FULL_ACCESS });
    expect(iam.call("ListEntitiesForPolicy", { PolicyArn: IAM_FULL_ACCESS })).toMatchObject({ PolicyUsers: [{ UserName: "admin" }], PolicyGroups: [], PolicyRoles: [] });
  });

  it("cannot be deleted, versioned or tagged by customers", () => {
    for (const [operation, input] of [
      ["DeletePolicy", {}],
      ["CreatePolicyVersion", { PolicyDocument: ALLOW_S3_READ }],
      ["SetDefaultPolicyVersion", { VersionId: "v2" }],
      ["DeletePolicyVersion", { VersionId: "v2" }],
      ["TagPolicy", { Tags: [{ Key: "k", Value: "v" }] }],
      ["UntagPolicy", { TagKeys: ["k"] }],
    ] as const) {
      const error = expectAwsError(() => iam.call(operation, { PolicyArn: IAM_FULL_ACCESS, ...input }), "AccessDenied");
      expect(error.message).toContain(`iam:${operation} on resource: ${IAM_FULL_ACCESS}`);
    }
    expect(iam.call("ListPolicyTags", { PolicyArn: IAM_FULL_ACCESS })).toEqual({ Tags: [], IsTruncated: false });
    expect(iam.call("ListPolicyVersions", { PolicyArn: IAM_FULL_ACCESS }).Versions).toEqual([{ VersionId: "v2", IsDefaultVersion: true, CreateDate: expect.any(Date) }]);
  });
});

describe("ListPolicies", () => {
  beforeEach(() => {
    createPolicy();
    createPolicy({ PolicyName: "Alpha", Path: "/team/" });
  });

  const names = (result: { Policies: { PolicyName: string }[] }) => result.Policies.map((policy) => policy.PolicyName);

  it("lists AWS and local policies by scope, authorizing on *", () => {
    expect(names(iam.call("ListPolicies"))).toEqual(["Alpha", "AmazonS3FullAccess", "AmazonSageMakerFullAccess", "IAMFullAccess", "ReadData"]);
    expect(iam.checks).toEqual([{ action: "iam:ListPolicies", resource: "*" }]);
    expect(names(iam.call("ListPolicies", { Scope: "Local" }))).toEqual(["Alpha", "ReadData"]);
    expect(names(iam.call("ListPolicies", { Scope: "AWS" }))).toEqual(["AmazonS3FullAccess", "AmazonSageMakerFullAccess", "IAMFullAccess"]);
    expectAwsError(() => iam.call("ListPolicies", { Scope: "Mine" }), "ValidationError", /enum value set: \[All, AWS, Local\]/);
  });

  it("filters by attachment, path and usage", () => {
    expect(names(iam.call("ListPolicies", { OnlyAttached: "true" }))).toEqual(["IAMFullAccess"]);
    expect(iam.call("ListPolicies", { OnlyAttached: "true" }).Policies[0].AttachmentCount).toBe(1);
    expect(names(iam.call("ListPolicies", { PathPrefix: "/team/" }))).toEqual(["Alpha"]);
    expect(names(iam.call("ListPolicies", { PolicyUsageFilter: "PermissionsBoundary" }))).toEqual([]);
    expectAwsError(() => iam.call("ListPolicies", { OnlyAttached: "yes" }), "ValidationError");
  });

  it("pages", () => {
    const first = iam.call("ListPolicies", { MaxItems: "3" });
    expect(first).toMatchObject({ IsTruncated: true, Marker: expect.any(String) });
    const second = iam.call("ListPolicies", { MaxItems: "3", Marker: first.Marker });
    expect(names(second)).toEqual(["IAMFullAccess", "ReadData"]);
    expect(second.IsTruncated).toBe(false);
    expect(first.Policies[0].Description).toBeUndefined();
  });
});

describe("policy versions", () => {
  let policyArn: string;
  beforeEach(() => {
    policyArn = createPolicy().Arn;
  });

  it("creates versions, optionally as default, up to five", () => {
    iam.advance(1000);
    expect(iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 })).toEqual({
      PolicyVersion: { VersionId: "v2", IsDefaultVersion: false, CreateDate: new Date(START.getTime() + 1000) },
    });
    expect(iam.checks).toEqual([{ action: "iam:CreatePolicyVersion", resource: policyArn, context: {} }]);
    expect(iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3, SetAsDefault: "true" }).PolicyVersion).toMatchObject({
      VersionId: "v3",
      IsDefaultVersion: true,
    });
    expect(iam.call("GetPolicy", { PolicyArn: policyArn }).Policy).toMatchObject({ DefaultVersionId: "v3", UpdateDate: new Date(START.getTime() + 1000) });
    iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 });
    iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 });
    expectAwsError(
      () => iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 }),
      "LimitExceeded",
      "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    );
    expectAwsError(() => iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: TRUST_SAGEMAKER }), "MalformedPolicyDocument");
  });

  it("gets and lists versions, newest first", () => {
    iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 });
    expect(iam.call("GetPolicyVersion", { PolicyArn: policyArn, VersionId: "v2" }).PolicyVersion).toMatchObject({
      Document: encodeURIComponent(WRITE_S3),
      VersionId: "v2",
      IsDefaultVersion: false,
    });
    expect(iam.checks).toEqual([{ action: "iam:GetPolicyVersion", resource: policyArn, context: {} }]);
    expect(iam.call("ListPolicyVersions", { PolicyArn: policyArn }).Versions.map((version: { VersionId: string }) => version.VersionId)).toEqual(["v2", "v1"]);
    expect(iam.checks).toEqual([{ action: "iam:ListPolicyVersions", resource: policyArn, context: {} }]);
    expectAwsError(
      () => iam.call("GetPolicyVersion", { PolicyArn: policyArn, VersionId: "v9" }),
      "NoSuchEntity",
      `Policy ${policyArn} version v9 does not exist or is not attachable.`,
    );
    expectAwsError(() => iam.call("GetPolicyVersion", { PolicyArn: policyArn, VersionId: "1" }), "ValidationError", /at 'versionId'/);
  });

  it("switches the default version and never deletes it", () => {
    iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 });
    expectAwsError(() => iam.call("DeletePolicyVersion", { PolicyArn: policyArn, VersionId: "v1" }), "DeleteConflict", "Cannot delete the default version of a policy.");
    iam.advance(5000);
    expect(iam.call("SetDefaultPolicyVersion", { PolicyArn: policyArn, VersionId: "v2" })).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:SetDefaultPolicyVersion", resource: policyArn, context: {} }]);
    expect(iam.call("GetPolicy", { PolicyArn: policyArn }).Policy).toMatchObject({ DefaultVersionId: "v2", UpdateDate: new Date(START.getTime() + 5000) });
    iam.call("DeletePolicyVersion", { PolicyArn: policyArn, VersionId: "v1" });
    expect(iam.checks).toEqual([{ action: "iam:DeletePolicyVersion", resource: policyArn, context: {} }]);
    expectAwsError(() => iam.call("SetDefaultPolicyVersion", { PolicyArn: policyArn, VersionId: "v1" }), "NoSuchEntity");
    // Version ids are never reused.
    expect(iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: ALLOW_S3_READ }).PolicyVersion.VersionId).toBe("v3");
  });
});

describe("DeletePolicy", () => {
  it("refuses while attached or while it has other versions", () => {
    const policyArn = createPolicy().Arn;
    iam.call("CreateGroup", { GroupName: "team" });
    iam.call("AttachGroupPolicy", { GroupName: "team", PolicyArn: policyArn });
    expectAwsError(() => iam.call("DeletePolicy", { PolicyArn: policyArn }), "DeleteConflict", "Cannot delete a policy attached to entities.");
    iam.call("DetachGroupPolicy", { GroupName: "team", PolicyArn: policyArn });
    iam.call("CreatePolicyVersion", { PolicyArn: policyArn, PolicyDocument: WRITE_S3 });
    expectAwsError(() => iam.call("DeletePolicy", { PolicyArn: policyArn }), "DeleteConflict", /more than one version/);
    iam.call("DeletePolicyVersion", { PolicyArn: policyArn, VersionId: "v2" });
    expect(iam.call("DeletePolicy", { PolicyArn: policyArn })).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:DeletePolicy", resource: policyArn, context: {} }]);
    expectAwsError(() => iam.call("GetPolicy", { PolicyArn: policyArn }), "NoSuchEntity");
  });
});

describe("ListEntitiesForPolicy", () => {
  it("lists the users, groups and roles a policy is attached to, filtered and paged", () => {
    iam.call("CreateUser", { UserName: "bob", Path: "/ops/" });
    iam.call("CreateGroup", { GroupName: "team" });
    iam.call("CreateRole", { RoleName: "trainer", AssumeRolePolicyDocument: TRUST_SAGEMAKER });
    for (const [operation, key, name] of [
      ["AttachUserPolicy", "UserName", "bob"],
      ["AttachGroupPolicy", "GroupName", "team"],
      ["AttachRolePolicy", "RoleName", "trainer"],
    ]) {
      iam.call(operation!, { [key!]: name, PolicyArn: S3_FULL_ACCESS });
    }
    const all = iam.call("ListEntitiesForPolicy", { PolicyArn: S3_FULL_ACCESS });
    expect(all).toEqual({
      PolicyGroups: [{ GroupName: "team", GroupId: expect.stringMatching(/^AGPA/) }],
      PolicyUsers: [{ UserName: "bob", UserId: expect.stringMatching(/^AIDA/) }],
      PolicyRoles: [{ RoleName: "trainer", RoleId: expect.stringMatching(/^AROA/) }],
      IsTruncated: false,
    });
    expect(iam.checks).toEqual([{ action: "iam:ListEntitiesForPolicy", resource: S3_FULL_ACCESS, context: {} }]);
    expect(iam.call("ListEntitiesForPolicy", { PolicyArn: S3_FULL_ACCESS, EntityFilter: "Role" })).toMatchObject({ PolicyGroups: [], PolicyUsers: [], PolicyRoles: [{ RoleName: "trainer" }] });
    expect(iam.call("ListEntitiesForPolicy", { PolicyArn: S3_FULL_ACCESS, PathPrefix: "/ops/" })).toMatchObject({ PolicyGroups: [], PolicyUsers: [{ UserName: "bob" }], PolicyRoles: [] });
    const page = iam.call("ListEntitiesForPolicy", { PolicyArn: S3_FULL_ACCESS, MaxItems: "2" });
    expect(page).toMatchObject({ PolicyGroups: [{}], PolicyUsers: [{}], PolicyRoles: [], IsTruncated: true });
    expect(iam.call("ListEntitiesForPolicy", { PolicyArn: S3_FULL_ACCESS, MaxItems: "2", Marker: page.Marker })).toMatchObject({ PolicyRoles: [{}], IsTruncated: false });
    expectAwsError(() => iam.call("ListEntitiesForPolicy", { PolicyArn: arn("policy", "nope") }), "NoSuchEntity");
  });
});

describe("policy tags", () => {
  it("tags, lists and untags customer managed policies", () => {
    const policyArn = createPolicy({ Tags: [{ Key: "a", Value: "1" }] }).Arn;
    iam.call("TagPolicy", { PolicyArn: policyArn, Tags: [{ Key: "b", Value: "2" }] });
    expect(iam.checks).toEqual([
      {
        action: "iam:TagPolicy",
        resource: policyArn,
        context: { "aws:ResourceTag/a": "1", "iam:ResourceTag/a": "1", "aws:RequestTag/b": "2", "aws:TagKeys": ["b"] },
      },
    ]);
    expect(iam.call("ListPolicyTags", { PolicyArn: policyArn }).Tags).toEqual([
      { Key: "a", Value: "1" },
      { Key: "b", Value: "2" },
    ]);
    iam.call("UntagPolicy", { PolicyArn: policyArn, TagKeys: ["a"] });
    expect(iam.call("GetPolicy", { PolicyArn: policyArn }).Policy.Tags).toEqual([{ Key: "b", Value: "2" }]);
    expectAwsError(() => iam.call("TagPolicy", { PolicyArn: arn("policy", "nope"), Tags: [{ Key: "b", Value: "2" }] }), "NoSuchEntity");
  });
});

it("uses the caller's account in policy ARNs", () => {
  expect(createPolicy().Arn).toBe(`arn:aws:iam::${ACCOUNT}:policy/ReadData`);
});

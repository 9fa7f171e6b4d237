import { beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT, ALLOW_S3_READ, arn, expectAwsError, harness, OTHER_ACCOUNT, policyJson, START, TRUST_SAGEMAKER, type Harness } from "./harness.ts";

let iam: Harness;
beforeEach(() => {
  iam = harness();
});

const createRole = (input: Record<string, unknown> = {}) => iam.call("CreateRole", { RoleName: "trainer", AssumeRolePolicyDocument: TRUST_SAGEMAKER, ...input });

describe("CreateRole", () => {
  it("creates a role with an AROA id, its trust policy (returned URL-encoded) and a one-hour default session", () => {
    const { Role } = createRole({ Path: "/service/", Description: "Trains models", Tags: [{ Key: "app", Value: "automl" }] });
    expect(Role).toMatchObject({
      Path: "/service/",
      RoleName: "trainer",
      RoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/),
      Arn: arn("role", "service/trainer"),
      CreateDate: START,
      AssumeRolePolicyDocument: encodeURIComponent(TRUST_SAGEMAKER),
      Description: "Trains models",
      MaxSessionDuration: 3600,
      Tags: [{ Key: "app", Value: "automl" }],
    });
    expect(iam.checks).toEqual([
      { action: "iam:CreateRole", resource: arn("role", "service/trainer"), context: { "aws:RequestTag/app": "automl", "aws:TagKeys": ["app"] } },
    ]);
    expectAwsError(() => createRole({ RoleName: "TRAINER" }), "EntityAlreadyExists", "Role with name TRAINER already exists.");
  });

  it("validates the trust policy as a trust policy", () => {
    expectAwsError(() => createRole({ AssumeRolePolicyDocument: ALLOW_S3_READ }), "MalformedPolicyDocument");
    expectAwsError(() => createRole({ AssumeRolePolicyDocument: "{not json" }), "MalformedPolicyDocument");
    expectAwsError(() => createRole({ AssumeRolePolicyDocument: undefined }), "ValidationError", /Value null at 'assumeRolePolicyDocument'/);
    const huge = policyJson(
      Array.from({ length: 40 }, (_, i) => ({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/role-number-${i}` }, Action: "sts:AssumeRole" })),
    );
    expectAwsError(() => createRole({ AssumeRolePolicyDocument: huge }), "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048");
  });

  it("accepts a URL-encoded trust policy and stores its JSON", () => {
    createRole({ AssumeRolePolicyDocument: encodeURIComponent(TRUST_SAGEMAKER) });
    expect(iam.call("GetRole", { RoleName: "trainer" }).Role.AssumeRolePolicyDocument).toBe(encodeURIComponent(TRUST_SAGEMAKER));
  });

  it("keeps MaxSessionDuration between one and twelve hours", () => {
    expectAwsError(
      () => createRole({ MaxSessionDuration: "3599" }),
      "ValidationError",
      "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
    expectAwsError(() => createRole({ MaxSessionDuration: "43201" }), "ValidationError", /less than or equal to 43200/);
    expectAwsError(() => createRole({ MaxSessionDuration: "1.5" }), "ValidationError");
    expect(createRole({ MaxSessionDuration: "43200" }).Role.MaxSessionDuration).toBe(43200);
  });

  it("validates the description", () => {
    expectAwsError(() => createRole({ Description: "d".repeat(1001) }), "ValidationError", /at 'description'.*less than or equal to 1000/);
    expectAwsError(() => createRole({ Description: "emoji 🙂" }), "ValidationError", /regular expression pattern/);
  });
});

describe("GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy", () => {
  beforeEach(() => {
    createRole({ Tags: [{ Key: "app", Value: "automl" }] });
  });

  it("gets a role with its tags and last use", () => {
    const { Role } = iam.call("GetRole", { RoleName: "Trainer" });
    expect(Role).toMatchObject({ RoleName: "trainer", Tags: [{ Key: "app", Value: "automl" }], RoleLastUsed: {} });
    expect(iam.checks).toEqual([
      { action: "iam:GetRole", resource: arn("role", "trainer"), context: { "aws:ResourceTag/app": "automl", "iam:ResourceTag/app": "automl" } },
    ]);
    expectAwsError(() => iam.call("GetRole", { RoleName: "ghost" }), "NoSuchEntity", "The role with name ghost cannot be found.");
  });

  it("lists roles without tags", () => {
    createRole({ RoleName: "analyst", Path: "/people/" });
    const { Roles, IsTruncated } = iam.call("ListRoles");
    expect(Roles.map((role: { RoleName: string }) => role.RoleName)).toEqual(["analyst", "trainer"]);
    expect(Roles[1].Tags).toBeUndefined();
    expect(Roles[1].MaxSessionDuration).toBe(3600);
    expect(IsTruncated).toBe(false);
    expect(iam.checks).toEqual([{ action: "iam:ListRoles", resource: `arn:aws:iam::${ACCOUNT}:role/*` }]);
    expect(iam.call("ListRoles", { PathPrefix: "/people/" }).Roles).toHaveLength(1);
  });

  it("updates the description and the session duration", () => {
    expect(iam.call("UpdateRole", { RoleName: "trainer", Description: "new", MaxSessionDuration: "7200" })).toEqual({});
    expect(iam.checks[0]).toMatchObject({ action: "iam:UpdateRole", resource: arn("role", "trainer") });
    expect(iam.call("GetRole", { RoleName: "trainer" }).Role).toMatchObject({ Description: "new", MaxSessionDuration: 7200 });
    expectAwsError(() => iam.call("UpdateRole", { RoleName: "trainer", MaxSessionDuration: "60" }), "ValidationError");
  });

  it("replaces the trust policy after validating it", () => {
    const trustAccount = policyJson([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" }]);
    expect(iam.call("UpdateAssumeRolePolicy", { RoleName: "trainer", PolicyDocument: trustAccount })).toBeUndefined();
    expect(iam.checks[0]).toMatchObject({ action: "iam:UpdateAssumeRolePolicy", resource: arn("role", "trainer") });
    expect(decodeURIComponent(iam.call("GetRole", { RoleName: "trainer" }).Role.AssumeRolePolicyDocument)).toBe(trustAccount);
    expectAwsError(() => iam.call("UpdateAssumeRolePolicy", { RoleName: "trainer", PolicyDocument: ALLOW_S3_READ }), "MalformedPolicyDocument");
    expect(decodeURIComponent(iam.call("GetRole", { RoleName: "trainer" }).Role.AssumeRolePolicyDocument)).toBe(trustAccount);
  });
});

describe("DeleteRole", () => {
  it("refuses while policies are attached or embedded", () => {
    createRole();
    iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" });
    expectAwsError(() => iam.call("DeleteRole", { RoleName: "trainer" }), "DeleteConflict", "Cannot delete entity, must detach all policies first.");
    iam.call("DetachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" });
    iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    expectAwsError(() => iam.call("DeleteRole", { RoleName: "trainer" }), "DeleteConflict", "Cannot delete entity, must delete policies first.");
    iam.call("DeleteRolePolicy", { RoleName: "trainer", PolicyName: "read" });
    iam.call("DeleteRole", { RoleName: "trainer" });
    expect(iam.checks).toEqual([{ action: "iam:DeleteRole", resource: arn("role", "trainer"), context: {} }]);
    expectAwsError(() => iam.call("GetRole", { RoleName: "trainer" }), "NoSuchEntity");
  });
});

describe("managed policies attached to a role", () => {
  beforeEach(() => {
    createRole();
  });

  it("attaches AWS managed policies by their real ARNs, idempotently, passing iam:PolicyARN", () => {
    const policyArn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess";
    expect(iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: policyArn })).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:AttachRolePolicy", resource: arn("role", "trainer"), context: { "iam:PolicyARN": policyArn } }]);
    iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: policyArn });
    expect(iam.call("ListAttachedRolePolicies", { RoleName: "trainer" })).toEqual({
      AttachedPolicies: [{ PolicyName: "AmazonSageMakerFullAccess", PolicyArn: policyArn }],
      IsTruncated: false,
    });
    expect(iam.checks).toEqual([{ action: "iam:ListAttachedRolePolicies", resource: arn("role", "trainer"), context: {} }]);
    iam.call("DetachRolePolicy", { RoleName: "trainer", PolicyArn: policyArn });
    expect(iam.checks).toEqual([{ action: "iam:DetachRolePolicy", resource: arn("role", "trainer"), context: { "iam:PolicyARN": policyArn } }]);
    expect(iam.call("ListAttachedRolePolicies", { RoleName: "trainer" }).AttachedPolicies).toEqual([]);
  });

  it("answers AWS's errors for unknown, malformed and unattached policy ARNs", () => {
    expectAwsError(
      () => iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" }),
      "NoSuchEntity",
      "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.",
    );
    expectAwsError(
      () => iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/mine` }),
      "NoSuchEntity",
      `Policy arn:aws:iam::${ACCOUNT}:policy/mine does not exist or is not attachable.`,
    );
    expectAwsError(() => iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:s3:::some-bucket-name" }), "InvalidInput", "ARN arn:aws:s3:::some-bucket-name is not valid.");
    expectAwsError(() => iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: "short" }), "ValidationError", /greater than or equal to 20/);
    expectAwsError(
      () => iam.call("DetachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }),
      "NoSuchEntity",
      "Policy arn:aws:iam::aws:policy/IAMFullAccess was not found.",
    );
    expectAwsError(() => iam.call("AttachRolePolicy", { RoleName: "ghost", PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }), "NoSuchEntity", "The role with name ghost cannot be found.");
  });

  it("does not attach another account's customer managed policy", () => {
    const other = harness(iam.store, OTHER_ACCOUNT);
    const foreign = other.call("CreatePolicy", { PolicyName: "theirs", PolicyDocument: ALLOW_S3_READ }).Policy.Arn;
    expectAwsError(() => iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: foreign }), "NoSuchEntity");
  });

  it("allows ten managed policies per role", () => {
    for (let i = 0; i < 10; i++) {
      const { Policy } = iam.call("CreatePolicy", { PolicyName: `p${i}`, Path: i % 2 ? "/odd/" : "/", PolicyDocument: ALLOW_S3_READ });
      iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: Policy.Arn });
    }
    expectAwsError(
      () => iam.call("AttachRolePolicy", { RoleName: "trainer", PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }),
      "LimitExceeded",
      "Cannot exceed quota for PoliciesPerRole: 10",
    );
    expect(iam.call("ListAttachedRolePolicies", { RoleName: "trainer", PathPrefix: "/odd/" }).AttachedPolicies).toHaveLength(5);
    const page = iam.call("ListAttachedRolePolicies", { RoleName: "trainer", MaxItems: "4" });
    expect(page.AttachedPolicies).toHaveLength(4);
    expect(page.IsTruncated).toBe(true);
  });
});

describe("inline role policies", () => {
  beforeEach(() => {
    createRole();
  });

  it("puts, gets (URL-encoded), lists and deletes them", () => {
    expect(iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "read", PolicyDocument: ALLOW_S3_READ })).toBeUndefined();
    expect(iam.checks).toEqual([{ action: "iam:PutRolePolicy", resource: arn("role", "trainer"), context: {} }]);
    iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "another", PolicyDocument: ALLOW_S3_READ });
    expect(iam.call("GetRolePolicy", { RoleName: "TRAINER", PolicyName: "read" })).toEqual({
      RoleName: "trainer",
      PolicyName: "read",
      PolicyDocument: encodeURIComponent(ALLOW_S3_READ),
    });
    expect(iam.checks).toEqual([{ action: "iam:GetRolePolicy", resource: arn("role", "trainer"), context: {} }]);
    expect(iam.call("ListRolePolicies", { RoleName: "trainer" })).toEqual({ PolicyNames: ["another", "read"], IsTruncated: false });
    expect(iam.checks).toEqual([{ action: "iam:ListRolePolicies", resource: arn("role", "trainer"), context: {} }]);
    iam.call("DeleteRolePolicy", { RoleName: "trainer", PolicyName: "read" });
    expect(iam.checks).toEqual([{ action: "iam:DeleteRolePolicy", resource: arn("role", "trainer"), context: {} }]);
    expect(iam.call("ListRolePolicies", { RoleName: "trainer" }).PolicyNames).toEqual(["another"]);
  });

  it("replaces a policy put again under the same name", () => {
    iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "read", PolicyDocument: ALLOW_S3_READ });
    const wider = policyJson([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]);
    iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "read", PolicyDocument: wider });
    expect(decodeURIComponent(iam.call("GetRolePolicy", { RoleName: "trainer", PolicyName: "read" }).PolicyDocument)).toBe(wider);
    expect(iam.call("ListRolePolicies", { RoleName: "trainer" }).PolicyNames).toEqual(["read"]);
  });

  it("answers AWS's errors", () => {
    expectAwsError(() => iam.call("GetRolePolicy", { RoleName: "trainer", PolicyName: "nope" }), "NoSuchEntity", "The role policy with name nope cannot be found.");
    expectAwsError(() => iam.call("DeleteRolePolicy", { RoleName: "trainer", PolicyName: "nope" }), "NoSuchEntity", "The role policy with name nope cannot be found.");
    expectAwsError(() => iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "bad", PolicyDocument: TRUST_SAGEMAKER }), "MalformedPolicyDocument");
    expectAwsError(() => iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "bad name", PolicyDocument: ALLOW_S3_READ }), "ValidationError", /at 'policyName'/);
    expectAwsError(() => iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "latin", PolicyDocument: ALLOW_S3_READ.replace("bucket", "bucket→") }), "ValidationError", /at 'policyDocument'/);
    const resources = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
    expectAwsError(
      () => iam.call("PutRolePolicy", { RoleName: "trainer", PolicyName: "big", PolicyDocument: policyJson([{ Effect: "Allow", Action: "s3:GetObject", Resource: resources }]) }),
      "LimitExceeded",
      "Maximum policy size of 10240 bytes exceeded for role trainer",
    );
  });
});

describe("role tags", () => {
  it("tags, lists and untags a role", () => {
    createRole();
    iam.call("TagRole", { RoleName: "trainer", Tags: [{ Key: "a", Value: "1" }] });
    expect(iam.checks[0]).toMatchObject({ action: "iam:TagRole", resource: arn("role", "trainer"), context: { "aws:RequestTag/a": "1" } });
    expect(iam.call("ListRoleTags", { RoleName: "trainer" }).Tags).toEqual([{ Key: "a", Value: "1" }]);
    expect(iam.checks[0]).toMatchObject({ action: "iam:ListRoleTags", resource: arn("role", "trainer") });
    iam.call("UntagRole", { RoleName: "trainer", TagKeys: ["a"] });
    expect(iam.checks[0]).toMatchObject({ action: "iam:UntagRole", resource: arn("role", "trainer") });
    expect(iam.call("ListRoleTags", { RoleName: "trainer" }).Tags).toEqual([]);
  });
});

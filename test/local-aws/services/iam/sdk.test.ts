/** The IAM service through the real AWS SDK v3 against a running local AWS. */
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListRoleTagsCommand,
  ListUsersCommand,
  AttachRolePolicyCommand,
  PutUserPolicyCommand,
  paginateListUsers,
} from "@aws-sdk/client-iam";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CUSTOMER_ACCOUNT_ID } from "../../../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../../../helpers/local-aws.ts";

let aws: TestAws;
let iam: IAMClient;
beforeEach(async () => {
  aws = await startTestAws();
  iam = clientsFor(aws, aws.customer).iam;
});
afterEach(() => aws.stop());

const TRUST_SAGEMAKER = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

async function userWithKey(userName: string): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

describe("IAM through the SDK", () => {
  it("creates and reads users, with tags, dates and pagination", async () => {
    const { User } = await iam.send(new CreateUserCommand({ UserName: "bob", Path: "/team/", Tags: [{ Key: "k", Value: "v" }] }));
    expect(User).toMatchObject({ UserName: "bob", Path: "/team/", Arn: `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/team/bob`, Tags: [{ Key: "k", Value: "v" }] });
    expect(User!.CreateDate).toBeInstanceOf(Date);
    const me = await iam.send(new GetUserCommand({}));
    expect(me.User!.UserName).toBe("customer_config");

    for (let i = 0; i < 5; i++) await iam.send(new CreateUserCommand({ UserName: `user${i}` }));
    const names: string[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, {})) names.push(...page.Users!.map((user) => user.UserName!));
    expect(names).toEqual(["bob", "customer_config", "user0", "user1", "user2", "user3", "user4"]);
  });

  it("answers IAM's errors as the SDK models them", async () => {
    await expect(iam.send(new GetUserCommand({ UserName: "ghost" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
      message: "The user with name ghost cannot be found.",
      $metadata: { httpStatusCode: 404 },
    });
    await iam.send(new CreateUserCommand({ UserName: "bob" }));
    await expect(iam.send(new CreateUserCommand({ UserName: "BOB" }))).rejects.toMatchObject({ name: "EntityAlreadyExistsException", $metadata: { httpStatusCode: 409 } });
    await expect(iam.send(new CreateRoleCommand({ RoleName: "r", AssumeRolePolicyDocument: TRUST_SAGEMAKER, MaxSessionDuration: 60 }))).rejects.toMatchObject({
      name: "ValidationError",
    });
  });

  it("manages roles, attached AWS managed policies and their entities", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "trainer", AssumeRolePolicyDocument: TRUST_SAGEMAKER, MaxSessionDuration: 43200, Tags: [] }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "trainer" }));
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(TRUST_SAGEMAKER);
    expect(Role!.MaxSessionDuration).toBe(43200);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "trainer" }))).Tags).toEqual([]);

    const policyArn = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess";
    await iam.send(new AttachRolePolicyCommand({ RoleName: "trainer", PolicyArn: policyArn }));
    expect((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "trainer" }))).AttachedPolicies).toEqual([
      { PolicyName: "AmazonSageMakerFullAccess", PolicyArn: policyArn },
    ]);
    expect((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }))).PolicyRoles).toEqual([{ RoleName: "trainer", RoleId: Role!.RoleId }]);
    await expect(iam.send(new DeleteRoleCommand({ RoleName: "trainer" }))).rejects.toMatchObject({ name: "DeleteConflictException" });
  });

  it("versions customer managed policies", async () => {
    const read = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: "read", PolicyDocument: read }));
    const { PolicyVersion } = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: read, SetAsDefault: true }));
    expect(PolicyVersion).toMatchObject({ VersionId: "v2", IsDefaultVersion: true });
    const fetched = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: "v2" }));
    expect(decodeURIComponent(fetched.PolicyVersion!.Document!)).toBe(read);
    const local = await iam.send(new ListPoliciesCommand({ Scope: "Local", OnlyAttached: false }));
    expect(local.Policies!.map((policy) => policy.PolicyName)).toEqual(["read"]);
  });

  it("enforces the policies it stores: a new user can do nothing until granted", async () => {
    const bob = clientsFor(aws, await userWithKey("bob")).iam;
    await expect(bob.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });

    const ownUser = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/bob`;
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "bob",
        PolicyName: "self",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:GetUser", Resource: ownUser }] }),
      }),
    );
    expect((await bob.send(new GetUserCommand({}))).User!.Arn).toBe(ownUser);
    await expect(bob.send(new GetUserCommand({ UserName: "customer_config" }))).rejects.toMatchObject({ name: "AccessDenied" });

    await iam.send(new CreateGroupCommand({ GroupName: "admins" }));
    await iam.send(new AddUserToGroupCommand({ GroupName: "admins", UserName: "bob" }));
    await expect(bob.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: "AccessDenied" });
    await iam.send(new AttachUserPolicyCommand({ UserName: "bob", PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }));
    expect((await bob.send(new ListUsersCommand({}))).Users!.length).toBe(2);
  });
});

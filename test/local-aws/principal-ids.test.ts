/**
 * Principals by unique ID, as AWS: trust policies keep the IDs of the users and roles they name,
 * sessions belong to their role's ID, and the IDs have AWS's formats.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { createUserWithKey } from "../helpers/cross-account-fixture.ts";

const running: TestAws[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const aws of running.splice(0)) await aws.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(stateDir?: string): Promise<TestAws> {
  const aws = await startTestAws(stateDir ? { stateDir } : {});
  running.push(aws);
  return aws;
}

const GHOST_ARN = `arn:aws:iam::${SAAS_ACCOUNT_ID}:user/ghost`;
const ROLE_NAME = "trusts_ghost";
const ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/${ROLE_NAME}`;
const policy = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const TRUST_GHOST = policy({ Effect: "Allow", Principal: { AWS: GHOST_ARN }, Action: "sts:AssumeRole" });
const id = (prefix: string) => new RegExp(`^${prefix}[A-Z2-7]{17}$`);

/** The SaaS user `ghost`, with a key and an identity policy letting it assume the customer's role. */
async function createGhost(aws: TestAws): Promise<{ credentials: Credentials; userId: string }> {
  const credentials = await createUserWithKey(aws, "ghost");
  const saas = clientsFor(aws, aws.saas).iam;
  await saas.send(new PutUserPolicyCommand({ UserName: "ghost", PolicyName: "assume", PolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE_ARN }) }));
  const { User } = await saas.send(new GetUserCommand({ UserName: "ghost" }));
  return { credentials, userId: User!.UserId! };
}

async function deleteGhost(aws: TestAws, credentials: Credentials): Promise<void> {
  const saas = clientsFor(aws, aws.saas).iam;
  await saas.send(new DeleteAccessKeyCommand({ UserName: "ghost", AccessKeyId: credentials.accessKeyId }));
  await saas.send(new DeleteUserPolicyCommand({ UserName: "ghost", PolicyName: "assume" }));
  await saas.send(new DeleteUserCommand({ UserName: "ghost" }));
}

const assumeAs = (aws: TestAws, credentials: Credentials, roleArn = ROLE_ARN) =>
  clientsFor(aws, credentials).sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1" }));

async function shownTrustPolicy(aws: TestAws): Promise<unknown> {
  const { Role } = await clientsFor(aws, aws.customer).iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }));
  return JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
}

const principalShown = async (aws: TestAws) => ((await shownTrustPolicy(aws)) as { Statement: { Principal: { AWS: string } }[] }).Statement[0]!.Principal.AWS;

describe("unique IDs", () => {
  it("have AWS's prefixes and 21 characters, the same in Create, Get and List answers", async () => {
    const aws = await start();
    const iam = clientsFor(aws, aws.customer).iam;
    const user = (await iam.send(new CreateUserCommand({ UserName: "alice" }))).User!;
    expect(user.UserId).toMatch(id("AIDA"));
    expect((await iam.send(new GetUserCommand({ UserName: "alice" }))).User!.UserId).toBe(user.UserId);
    expect((await iam.send(new ListUsersCommand({}))).Users!.find((u) => u.UserName === "alice")!.UserId).toBe(user.UserId);

    const group = (await iam.send(new CreateGroupCommand({ GroupName: "team" }))).Group!;
    expect(group.GroupId).toMatch(id("AGPA"));
    expect((await iam.send(new GetGroupCommand({ GroupName: "team" }))).Group!.GroupId).toBe(group.GroupId);
    expect((await iam.send(new ListGroupsCommand({}))).Groups![0]!.GroupId).toBe(group.GroupId);

    const trust = policy({ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: "worker", AssumeRolePolicyDocument: trust }))).Role!;
    expect(role.RoleId).toMatch(id("AROA"));
    expect((await iam.send(new GetRoleCommand({ RoleName: "worker" }))).Role!.RoleId).toBe(role.RoleId);
    expect((await iam.send(new ListRolesCommand({}))).Roles![0]!.RoleId).toBe(role.RoleId);

    const document = policy({ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" });
    const created = (await iam.send(new CreatePolicyCommand({ PolicyName: "list", PolicyDocument: document }))).Policy!;
    expect(created.PolicyId).toMatch(id("ANPA"));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn! }))).Policy!.PolicyId).toBe(created.PolicyId);
    expect((await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies![0]!.PolicyId).toBe(created.PolicyId);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess" }))).Policy!.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);

    const caller = await clientsFor(aws, aws.customer).sts.send(new GetCallerIdentityCommand({}));
    expect(caller.UserId).toBe((await iam.send(new GetUserCommand({}))).User!.UserId);
  });
});

describe("a trust policy naming a user", () => {
  it("keeps the user's unique ID: GetRole shows the ID once the user is deleted, and a new user of that name is not trusted", async () => {
    const aws = await start();
    const customer = clientsFor(aws, aws.customer).iam;
    const ghost = await createGhost(aws);
    await customer.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: TRUST_GHOST }));
    expect(await shownTrustPolicy(aws)).toEqual(JSON.parse(TRUST_GHOST));
    const session = await assumeAs(aws, ghost.credentials);
    expect(session.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT_ID}:assumed-role/${ROLE_NAME}/s1`);

    await deleteGhost(aws, ghost.credentials);
    expect(await principalShown(aws)).toBe(ghost.userId);

    const newGhost = await createGhost(aws);
    expect(newGhost.userId).not.toBe(ghost.userId);
    await expect(assumeAs(aws, newGhost.credentials)).rejects.toMatchObject({
      name: "AccessDenied",
      message: `User: ${GHOST_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN} because no resource-based policy allows the sts:AssumeRole action`,
    });
    expect(await principalShown(aws)).toBe(ghost.userId);

    // Saving the ARN again binds it to the new user, as AWS tells you to do.
    await customer.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: TRUST_GHOST }));
    expect(await principalShown(aws)).toBe(GHOST_ARN);
    expect((await assumeAs(aws, newGhost.credentials)).Credentials!.AccessKeyId).toMatch(/^ASIA/);
  });

  it("is refused when no such user exists, as IAM refuses an invalid principal", async () => {
    const aws = await start();
    await expect(
      clientsFor(aws, aws.customer).iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: TRUST_GHOST })),
    ).rejects.toMatchObject({ name: "MalformedPolicyDocumentException", message: `Invalid principal in policy: "AWS":"${GHOST_ARN}"` });
  });

  it("keeps IDs and bindings across a restart with a state dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-ids-"));
    dirs.push(dir);
    let aws = await start(dir);
    const ghost = await createGhost(aws);
    const { Role } = await clientsFor(aws, aws.customer).iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: TRUST_GHOST }));
    await aws.stop();
    running.splice(0);

    aws = await start(dir);
    expect((await clientsFor(aws, aws.saas).iam.send(new GetUserCommand({ UserName: "ghost" }))).User!.UserId).toBe(ghost.userId);
    expect((await clientsFor(aws, aws.customer).iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!.RoleId).toBe(Role!.RoleId);
    expect(await principalShown(aws)).toBe(GHOST_ARN);
    await assumeAs(aws, ghost.credentials);
    await deleteGhost(aws, ghost.credentials);
    await aws.stop();
    running.splice(0);

    aws = await start(dir);
    expect(await principalShown(aws)).toBe(ghost.userId);
    const newGhost = await createGhost(aws);
    await expect(assumeAs(aws, newGhost.credentials)).rejects.toMatchObject({ name: "AccessDenied" });
  });
});

describe("a session of a role", () => {
  it("belongs to the role's unique ID: once the role is deleted and recreated, the old session is denied and the trust naming the old role no longer admits its sessions", async () => {
    const aws = await start();
    const customer = clientsFor(aws, aws.customer).iam;
    const configUser = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/customer_config`;
    const trust = policy({ Effect: "Allow", Principal: { AWS: configUser }, Action: "sts:AssumeRole" });
    const listUsers = policy({ Effect: "Allow", Action: ["iam:ListUsers", "sts:AssumeRole"], Resource: "*" });
    const workerArn = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/worker`;
    const createWorker = async () => {
      const { Role } = await customer.send(new CreateRoleCommand({ RoleName: "worker", AssumeRolePolicyDocument: trust }));
      await customer.send(new PutRolePolicyCommand({ RoleName: "worker", PolicyName: "list", PolicyDocument: listUsers }));
      return Role!.RoleId!;
    };
    const sessionOf = async (credentials: Credentials, roleArn: string): Promise<Credentials> => {
      const { Credentials: c } = await assumeAs(aws, credentials, roleArn);
      return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
    };

    const oldRoleId = await createWorker();
    // A role trusting the worker role: it admits the worker's sessions by the worker's ID.
    await customer.send(new CreateRoleCommand({ RoleName: "chained", AssumeRolePolicyDocument: policy({ Effect: "Allow", Principal: { AWS: workerArn }, Action: "sts:AssumeRole" }) }));
    const chainedArn = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/chained`;
    const oldSession = await sessionOf(aws.customer, workerArn);
    const identity = await clientsFor(aws, oldSession).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.UserId).toBe(`${oldRoleId}:s1`);
    await clientsFor(aws, oldSession).iam.send(new ListUsersCommand({}));
    await sessionOf(oldSession, chainedArn);

    await customer.send(new DeleteRolePolicyCommand({ RoleName: "worker", PolicyName: "list" }));
    await customer.send(new DeleteRoleCommand({ RoleName: "worker" }));
    const newRoleId = await createWorker();
    expect(newRoleId).not.toBe(oldRoleId);

    await expect(clientsFor(aws, oldSession).iam.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: "AccessDenied",
      message: `User: arn:aws:sts::${CUSTOMER_ACCOUNT_ID}:assumed-role/worker/s1 is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/* because no identity-based policy allows the iam:ListUsers action`,
    });
    // GetCallerIdentity needs no permission: the old session is still the old role's.
    expect((await clientsFor(aws, oldSession).sts.send(new GetCallerIdentityCommand({}))).UserId).toBe(`${oldRoleId}:s1`);

    const newSession = await sessionOf(aws.customer, workerArn);
    expect((await clientsFor(aws, newSession).sts.send(new GetCallerIdentityCommand({}))).UserId).toBe(`${newRoleId}:s1`);
    await clientsFor(aws, newSession).iam.send(new ListUsersCommand({}));
    await expect(sessionOf(newSession, chainedArn)).rejects.toMatchObject({ name: "AccessDenied" });
    const { Role } = await customer.send(new GetRoleCommand({ RoleName: "chained" }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Principal.AWS).toBe(oldRoleId);
  });
});

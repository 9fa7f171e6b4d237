/** IAM's eventual consistency (`iamDelaySeconds`): changes count for authorization only after the delay; IAM's reads show them at once. */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteGroupPolicyCommand,
  GetGroupPolicyCommand,
  GetRoleCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { createUserWithKey } from "../helpers/cross-account-fixture.ts";

const DELAY_SECONDS = 2;
const ROLE_NAME = "fresh_role";
const ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/${ROLE_NAME}`;
const LIST_USERS = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }] });
const DENY_LIST_USERS = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:ListUsers", Resource: "*" }] });

let aws: TestAws | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await aws?.stop();
  aws = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Moves the server's clock past the delay, as waiting would, without waiting (clients made afterwards sign with the moved clock). */
const propagate = (server: TestAws) => server.clock.advance(DELAY_SECONDS * 1000);

const trustingSaas = (externalId: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SAAS_ACCOUNT_ID}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": externalId } } },
    ],
  });

/** A SaaS user in a group, with a key, all in effect. */
async function effectiveUserInGroup(server: TestAws): Promise<Credentials> {
  const iam = clientsFor(server, server.saas).iam;
  await iam.send(new CreateGroupCommand({ GroupName: "team" }));
  const user = await createUserWithKey(server, "member");
  await iam.send(new AddUserToGroupCommand({ GroupName: "team", UserName: "member" }));
  propagate(server);
  return user;
}

describe("IAM changes with iamDelaySeconds", () => {
  it("a new access key answers InvalidClientTokenId until the delay has passed; IAM lists it at once", async () => {
    aws = await startTestAws({ config: { iamDelaySeconds: DELAY_SECONDS } });
    const key = await createUserWithKey(aws, "newcomer");
    const listed = await clientsFor(aws, aws.saas).iam.send(new ListAccessKeysCommand({ UserName: "newcomer" }));
    expect(listed.AccessKeyMetadata!.map((k) => k.AccessKeyId)).toEqual([key.accessKeyId]);
    await expect(clientsFor(aws, key).sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "InvalidClientTokenId", $metadata: { httpStatusCode: 403 } });

    propagate(aws);
    const identity = await clientsFor(aws, key).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:iam::${SAAS_ACCOUNT_ID}:user/newcomer`);
  });

  it("a new group policy denies, then allows; its deletion keeps granting until the delay has passed", async () => {
    aws = await startTestAws({ config: { iamDelaySeconds: DELAY_SECONDS } });
    const member = await effectiveUserInGroup(aws);
    const admin = clientsFor(aws, aws.saas).iam;
    await admin.send(new PutGroupPolicyCommand({ GroupName: "team", PolicyName: "list", PolicyDocument: LIST_USERS }));
    const stored = await admin.send(new GetGroupPolicyCommand({ GroupName: "team", PolicyName: "list" }));
    expect(JSON.parse(decodeURIComponent(stored.PolicyDocument!))).toEqual(JSON.parse(LIST_USERS));
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: "AccessDenied",
      message: expect.stringContaining("because no identity-based policy allows the iam:ListUsers action"),
    });

    propagate(aws);
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).resolves.toMatchObject({ Users: expect.any(Array) });

    await admin.send(new DeleteGroupPolicyCommand({ GroupName: "team", PolicyName: "list" }));
    expect((await admin.send(new ListGroupPoliciesCommand({ GroupName: "team" }))).PolicyNames).toEqual([]);
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).resolves.toBeDefined();
    propagate(aws);
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("an attached managed policy, and a new default version of it, count only after the delay", async () => {
    aws = await startTestAws({ config: { iamDelaySeconds: DELAY_SECONDS } });
    const member = await effectiveUserInGroup(aws);
    const admin = clientsFor(aws, aws.saas).iam;
    const { Policy } = await admin.send(new CreatePolicyCommand({ PolicyName: "lister", PolicyDocument: LIST_USERS }));
    await admin.send(new AttachUserPolicyCommand({ UserName: "member", PolicyArn: Policy!.Arn! }));
    const attached = await admin.send(new ListAttachedUserPoliciesCommand({ UserName: "member" }));
    expect(attached.AttachedPolicies!.map((p) => p.PolicyName)).toEqual(["lister"]);
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: "AccessDenied" });
    propagate(aws);
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).resolves.toBeDefined();

    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn!, PolicyDocument: DENY_LIST_USERS, SetAsDefault: true }));
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).resolves.toBeDefined();
    propagate(aws);
    await expect(clientsFor(aws, member).iam.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: "AccessDenied", message: expect.stringContaining("explicit deny") });
  });

  it("AssumeRole refuses a just-created role, then assumes it; a changed trust policy counts after the delay", async () => {
    aws = await startTestAws({ config: { iamDelaySeconds: DELAY_SECONDS } });
    const saasIam = clientsFor(aws, aws.saas).iam;
    await saasIam.send(new CreateGroupCommand({ GroupName: "assumers" }));
    const assumeRoleGrant = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE_ARN }] });
    await saasIam.send(new PutGroupPolicyCommand({ GroupName: "assumers", PolicyName: "assume", PolicyDocument: assumeRoleGrant }));
    const user = await createUserWithKey(aws, "assumer");
    await saasIam.send(new AddUserToGroupCommand({ GroupName: "assumers", UserName: "assumer" }));
    propagate(aws);

    const customerIam = clientsFor(aws, aws.customer).iam;
    await customerIam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: trustingSaas("first") }));
    expect((await customerIam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!.Arn).toBe(ROLE_ARN);
    const assume = (externalId: string) => clientsFor(aws!, user).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "session", ExternalId: externalId }));
    await expect(assume("first")).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });

    propagate(aws);
    await expect(assume("first")).resolves.toMatchObject({ AssumedRoleUser: { Arn: `arn:aws:sts::${CUSTOMER_ACCOUNT_ID}:assumed-role/${ROLE_NAME}/session` } });

    await customerIam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE_NAME, PolicyDocument: trustingSaas("second") }));
    await expect(assume("second")).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(assume("first")).resolves.toBeDefined();
    propagate(aws);
    await expect(assume("second")).resolves.toBeDefined();
    await expect(assume("first")).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("changes still propagating survive a restart", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "iam-propagation-"));
    dirs.push(stateDir);
    const delaySeconds = 600;
    aws = await startTestAws({ stateDir, config: { iamDelaySeconds: delaySeconds } });
    const key = await createUserWithKey(aws, "newcomer");
    await aws.stop();

    aws = await startTestAws({ stateDir, config: { iamDelaySeconds: delaySeconds } });
    await expect(clientsFor(aws, key).sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "InvalidClientTokenId" });
    aws.clock.advance(delaySeconds * 1000);
    await expect(clientsFor(aws, key).sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: expect.stringContaining("user/newcomer") });
  });

  it("with the default delay of 0, changes count at once", async () => {
    aws = await startTestAws();
    expect(aws.config.iamDelaySeconds).toBe(0);
    const key = await createUserWithKey(aws, "newcomer");
    await expect(clientsFor(aws, key).sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: expect.stringContaining("user/newcomer") });
  });

  it("refuses a negative delay", async () => {
    await expect(startTestAws({ config: { iamDelaySeconds: -1 } })).rejects.toThrow("iamDelaySeconds must be a number of seconds, 0 or more, not -1");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import type { FinalizeHandler, FinalizeHandlerArguments, MetadataBearer } from "@smithy/types";
import { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, ROLE_NAME, setUpCrossAccount, type CrossAccountSetup } from "../helpers/cross-account-fixture.ts";

let aws: TestAws;
let setup: CrossAccountSetup;

beforeEach(async () => {
  aws = await startTestAws();
  setup = await setUpCrossAccount(aws);
});
afterEach(() => aws.stop());

const sts = (credentials: Credentials) => clientsFor(aws, credentials).sts;

async function assume(credentials: Credentials, extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) {
  const { Credentials: c, AssumedRoleUser } = await sts(credentials).send(
    new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "autopilot", ExternalId: EXTERNAL_ID, ...extra }),
  );
  return {
    credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! },
    expiration: c!.Expiration!,
    arn: AssumedRoleUser!.Arn!,
    assumedRoleId: AssumedRoleUser!.AssumedRoleId!,
  };
}

describe("GetCallerIdentity", () => {
  it("names the configuration users of both accounts", async () => {
    const customer = await sts(aws.customer).send(new GetCallerIdentityCommand({}));
    expect(customer.Account).toBe(CUSTOMER_ACCOUNT_ID);
    expect(customer.Arn).toBe(`arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:user/customer_config`);
    expect(customer.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    const saas = await sts(aws.saas).send(new GetCallerIdentityCommand({}));
    expect(saas.Account).toBe(SAAS_ACCOUNT_ID);
    expect(saas.Arn).toBe(`arn:aws:iam::${SAAS_ACCOUNT_ID}:user/saas_config`);
  });
});

describe("AssumeRole across accounts", () => {
  it("gives the SaaS user a session in the customer account with the right ExternalId", async () => {
    const session = await assume(setup.saasUser, { DurationSeconds: 7200 });
    expect(session.arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT_ID}:assumed-role/${ROLE_NAME}/autopilot`);
    expect(session.assumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:autopilot$/);
    expect(session.credentials.accessKeyId).toMatch(/^ASIA/);
    const lifetime = session.expiration.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(7100_000);
    expect(lifetime).toBeLessThanOrEqual(7200_000);

    const identity = await sts(session.credentials).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: CUSTOMER_ACCOUNT_ID, Arn: session.arn, UserId: session.assumedRoleId });
  });

  it("denies a wrong ExternalId and a missing one", async () => {
    await expect(assume(setup.saasUser, { ExternalId: "12345" })).rejects.toMatchObject({
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining(`User: arn:aws:iam::${SAAS_ACCOUNT_ID}:user/saas_user is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`),
    });
    await expect(assume(setup.saasUser, { ExternalId: undefined })).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("denies a SaaS user outside the AutopilotUsers group", async () => {
    await expect(assume(setup.outsider)).rejects.toMatchObject({
      name: "AccessDenied",
      message: expect.stringContaining("because no identity-based policy allows the sts:AssumeRole action"),
    });
  });

  it("denies when an explicit Deny applies, even with the group's Allow", async () => {
    await clientsFor(aws, aws.saas).iam.send(
      new PutUserPolicyCommand({
        UserName: "saas_user",
        PolicyName: "no_assume",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "sts:*", Resource: "*" }] }),
      }),
    );
    await expect(assume(setup.saasUser)).rejects.toMatchObject({
      name: "AccessDenied",
      message: expect.stringContaining("with an explicit deny in an identity-based policy"),
    });
  });

  it("denies a caller from an account the role does not trust", async () => {
    await expect(assume(aws.customer)).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("denies a role that does not exist, without saying so", async () => {
    await expect(assume(setup.saasUser, { RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/nope` })).rejects.toMatchObject({
      name: "AccessDenied",
    });
  });

  it("holds DurationSeconds to 900..MaxSessionDuration", async () => {
    await expect(assume(setup.saasUser, { DurationSeconds: 899 })).rejects.toMatchObject({ name: "ValidationError" });
    await expect(assume(setup.saasUser, { DurationSeconds: 43201 })).rejects.toMatchObject({ name: "ValidationError" });
    await expect(assume(setup.saasUser, { DurationSeconds: 43200 })).resolves.toBeDefined();
  });

  it("caps role chaining at one hour", async () => {
    const iam = clientsFor(aws, aws.customer).iam;
    await iam.send(
      new CreateRoleCommand({
        RoleName: "chained",
        MaxSessionDuration: 43200,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: "sts:AssumeRole" }],
        }),
      }),
    );
    const chainedArn = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/chained`;
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE_NAME,
        PolicyName: "chain",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: chainedArn }] }),
      }),
    );
    const first = await assume(setup.saasUser);
    await expect(assume(first.credentials, { RoleArn: chainedArn, ExternalId: undefined, DurationSeconds: 3601 })).rejects.toMatchObject({
      name: "ValidationError",
      message: expect.stringContaining("1 hour session limit for roles assumed by role chaining"),
    });
    const second = await assume(first.credentials, { RoleArn: chainedArn, ExternalId: undefined, DurationSeconds: 3600 });
    expect(second.arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT_ID}:assumed-role/chained/autopilot`);
  });
});

describe("session policies", () => {
  it("limit a session to what both the role and the session policy allow", async () => {
    const scoped = await assume(setup.saasUser, {
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sagemaker:ListModels", Resource: "*" }] }),
    });
    const unscoped = await assume(setup.saasUser);
    const listRoles = (credentials: Credentials) => clientsFor(aws, credentials).iam.send(new ListRolesCommand({}));
    await expect(listRoles(scoped.credentials)).rejects.toMatchObject({ name: "AccessDenied", message: expect.stringContaining("because no session policy allows the iam:ListRoles action") });
    await expect(listRoles(unscoped.credentials)).resolves.toBeDefined();
  });
});

describe("temporary credentials", () => {
  it("stop working when they expire", async () => {
    const session = await assume(setup.saasUser, { DurationSeconds: 900 });
    await expect(sts(session.credentials).send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    aws.clock.advance(901_000);
    await expect(sts(session.credentials).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "ExpiredToken",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("are refused with another session's token", async () => {
    const one = await assume(setup.saasUser);
    const two = await assume(setup.saasUser);
    const mixed = { ...one.credentials, sessionToken: two.credentials.sessionToken };
    await expect(sts(mixed).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "InvalidClientTokenId" });
  });
});

describe("authentication", () => {
  it("rejects an unknown access key", async () => {
    const unknown = { accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: "x".repeat(40) };
    await expect(sts(unknown).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "InvalidClientTokenId",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("rejects a wrong secret", async () => {
    const wrong = { ...aws.customer, secretAccessKey: `${aws.customer.secretAccessKey.slice(0, -1)}x` };
    await expect(sts(wrong).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("rejects a request tampered with after signing", async () => {
    const client = sts(aws.customer);
    client.middlewareStack.addRelativeTo(
      (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
        const request = args.request as { body: string };
        request.body = request.body.replace("Version=2011-06-15", "Version=2011-06-16");
        return next(args);
      },
      { relation: "after", toMiddleware: "httpSigningMiddleware" },
    );
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
  });

  it("rejects a signature made too long ago", async () => {
    const client = new STSClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.customer, maxAttempts: 1, systemClockOffset: -20 * 60_000 });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      message: expect.stringContaining("Signature expired"),
    });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { parse } from "ini";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { setUpCrossAccount, EXTERNAL_ID, ROLE_ARN } from "../helpers/cross-account-fixture.ts";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";

const dirs: string[] = [];
const running: TestAws[] = [];
afterEach(async () => {
  for (const aws of running.splice(0)) await aws.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(stateDir: string, reset = false) {
  const aws = await startTestAws({ stateDir, reset });
  running.push(aws);
  return aws;
}

describe("state under the state dir", () => {
  it("writes credentials and config files for both profiles, mode 0600", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-state-"));
    dirs.push(dir);
    const aws = await start(dir);
    const credentials = parse(readFileSync(aws.credentialsFile!, "utf8"));
    expect(credentials.customer_config.aws_access_key_id).toBe(aws.customer.accessKeyId);
    expect(credentials.saas_config.aws_secret_access_key).toBe(aws.saas.secretAccessKey);
    const config = parse(readFileSync(aws.configFile!, "utf8"));
    expect(config["profile saas_config"]).toEqual({ region: "us-east-1", endpoint_url: aws.endpoint });
    expect(statSync(aws.credentialsFile!).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o077).toBe(0);
  });

  it("survives a restart: same keys, entities and live sessions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-state-"));
    dirs.push(dir);
    const first = await start(dir);
    const { saasUser } = await setUpCrossAccount(first);
    const { Credentials } = await clientsFor(first, saasUser).sts.send(
      new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "before-restart", ExternalId: EXTERNAL_ID }),
    );
    await first.stop();
    running.splice(0);

    const second = await start(dir);
    expect(second.customer.accessKeyId).toBe(first.customer.accessKeyId);
    expect(second.customer.secretAccessKey).toBe(first.customer.secretAccessKey);
    const session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    const identity = await clientsFor(second, session).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toContain("assumed-role/customer_trusting_saas/before-restart");
    const users = await clientsFor(second, second.saas).iam.send(new ListUsersCommand({}));
    expect(users.Users!.map((u) => u.UserName).sort()).toEqual(["outsider", "saas_config", "saas_user"]);
  });

  it("keeps profiles others added to the credentials file across restarts, and drops them on --reset", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-state-"));
    dirs.push(dir);
    const first = await start(dir);
    const added = `${readFileSync(first.credentialsFile!, "utf8")}\n[saas_user]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\naws_secret_access_key = secret\n`;
    writeFileSync(first.credentialsFile!, added);
    await first.stop();
    running.splice(0);
    const second = await start(dir);
    const kept = parse(readFileSync(second.credentialsFile!, "utf8"));
    expect(kept.saas_user.aws_access_key_id).toBe("AKIAEXAMPLEEXAMPLE12");
    expect(kept.customer_config.aws_access_key_id).toBe(second.customer.accessKeyId);
    await second.stop();
    running.splice(0);
    const third = await start(dir, true);
    expect(parse(readFileSync(third.credentialsFile!, "utf8")).saas_user).toBeUndefined();
  });

  it("keeps every write when many requests arrive at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-state-"));
    dirs.push(dir);
    const first = await start(dir);
    const iam = clientsFor(first, first.customer).iam;
    const names = Array.from({ length: 60 }, (_, i) => `user${String(i).padStart(2, "0")}`);
    await Promise.all(names.map((UserName) => iam.send(new CreateUserCommand({ UserName }))));
    await first.stop();
    running.splice(0);

    const second = await start(dir);
    const listed = await clientsFor(second, second.customer).iam.send(new ListUsersCommand({ MaxItems: 1000 }));
    expect(listed.Users!.map((u) => u.UserName).filter((n) => n!.startsWith("user"))).toEqual(names);
  });

  it("--reset starts over with new keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-state-"));
    dirs.push(dir);
    const first = await start(dir);
    await clientsFor(first, first.customer).iam.send(new CreateUserCommand({ UserName: "gone" }));
    await first.stop();
    running.splice(0);
    const second = await start(dir, true);
    expect(second.customer.accessKeyId).not.toBe(first.customer.accessKeyId);
    const listed = await clientsFor(second, second.customer).iam.send(new ListUsersCommand({}));
    expect(listed.Users!.map((u) => u.UserName)).toEqual(["customer_config"]);
  });
});

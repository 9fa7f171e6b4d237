import { CreateRoleCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowSettings } from "../../lib/flow/flow-context.ts";
import { NotebookRun, PrerequisiteError } from "../../lib/flow/notebook.ts";
import { trustPolicy } from "../../lib/flow/policies.ts";
import type { Target } from "../../lib/flow/sessions.ts";
import { startLocalAws, type LocalAws } from "../../lib/local-aws/index.ts";

// What each notebook checks in its first cell, against a real local AWS: the one-line message a
// reader gets instead of a stack trace when a notebook runs before the one it needs.

describe("a notebook's prerequisites", () => {
  const dir = mkdtempSync(join(tmpdir(), "prerequisites-"));
  let aws: LocalAws;
  let target: Target;

  const runIn = (name: string, on: Target = target) =>
    new NotebookRun(flowSettings(on, { dataPath: "copy", maxCandidates: 3, mode: "AUTO", leastPrivilege: false, workDir: join(dir, name), log: () => {} }));

  beforeAll(async () => {
    aws = await startLocalAws({ stateDir: join(dir, "local-aws") });
    target = { kind: "local", region: aws.region, endpoint: aws.endpoint, credentialsFile: aws.credentialsFile!, configFile: aws.configFile! };
  });

  afterAll(async () => {
    await aws.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("01 needs nothing on the local AWS", async () => {
    await expect(runIn("first").checkPrerequisites("01-iam-setup")).resolves.toBeUndefined();
  });

  it("02 before 01 says to run 01 first, in one line that util.inspect (tslab's error printer) shows without a stack", async () => {
    const error = await runIn("early").checkPrerequisites("02-autopilot-cross-account").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrerequisiteError);
    expect(inspect(error)).toBe((error as Error).message);
    expect(inspect(error)).toMatch(/^Run notebooks\/01-iam-setup\.ipynb first: the run in \S+ has no ExternalId yet \(notebook 1 makes it and creates the role with it\)$/);
  });

  it("02 names what of notebook 1's IAM is missing", async () => {
    const run = runIn("half");
    run.externalId();
    await expect(run.checkPrerequisites("02-autopilot-cross-account")).rejects.toThrow(
      /^Run notebooks\/01-iam-setup\.ipynb first: role customer_trusting_saas does not exist in the customer account 111111111111$/,
    );
    const trust = JSON.stringify(trustPolicy("222222222222", run.externalId()));
    await run.customerConfig().iam.send(new CreateRoleCommand({ RoleName: "customer_trusting_saas", AssumeRolePolicyDocument: trust }));
    await expect(run.checkPrerequisites("02-autopilot-cross-account")).rejects.toThrow(/first: user saas_user does not exist in the SaaS account 222222222222$/);
    await run.saasConfig().iam.send(new CreateUserCommand({ UserName: "saas_user" }));
    await expect(run.checkPrerequisites("02-autopilot-cross-account")).resolves.toBeUndefined();
  });

  it("03 with nothing recorded says there is nothing to clean up", async () => {
    await expect(runIn("empty").checkPrerequisites("03-cleanup")).rejects.toThrow(/^Nothing to clean up: no run is recorded in \S+run-state\.json \(notebooks 01 and 02 record there what they create\)$/);
  });

  it("on real AWS, a missing configuration profile is named in one line before anything is created", async () => {
    const credentialsFile = join(dir, "no-profiles");
    writeFileSync(credentialsFile, "[someone_else]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n");
    const run = runIn("aws", { kind: "aws", region: aws.region, endpoint: aws.endpoint, credentialsFile, configFile: join(dir, "no-config") });
    const error = await run.checkPrerequisites("01-iam-setup").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrerequisiteError);
    expect((error as Error).message).toMatch(/^Set up the configuration profiles first: .*profile customer_config has no credentials in .*no-profiles/);
    expect((error as Error).message).not.toContain("\n");
  });
});

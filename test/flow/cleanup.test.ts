import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AttachUserPolicyCommand, DeleteAccessKeyCommand, DeleteUserCommand, DetachUserPolicyCommand, ListAccessKeysCommand, RemoveUserFromGroupCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CleanupIncompleteError } from "../../lib/flow/cleanup-report.ts";
import { readProfileKey } from "../../lib/flow/credentials-file.ts";
import { FlowContext, flowSettings } from "../../lib/flow/flow-context.ts";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import { runSteps } from "../../lib/flow/steps.ts";
import { startLocalTarget, type RunningTarget } from "../../lib/flow/targets.ts";
import { leftovers } from "./leftovers.ts";

const names = BLOG_NAMES;
let dir: string;
let running: RunningTarget;
let lines: string[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "flow-cleanup-"));
  running = await startLocalTarget(join(dir, "aws"));
  lines = [];
});

afterEach(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A run in its own directory of the same local AWS (a second run dir is another context on the same accounts). */
function runIn(workDir: string): FlowContext {
  return new FlowContext(flowSettings(running.target, { dataPath: "copy", maxCandidates: 1, mode: "AUTO", leastPrivilege: false, workDir, log: (line) => lines.push(line) }));
}

/** IAM in both accounts, the data set, and the training data in both buckets (the copy path): everything but the job. */
async function setUpRun(context: FlowContext): Promise<void> {
  await runSteps(context, ["accounts", "customer-iam", "saas-iam", "data", "assume-role", "upload"]);
  // And hosting that a crash may have left half-made: names in the run state, nothing behind them.
  context.state.update({ model: "churn-gone-model", endpointConfig: "churn-gone-config" });
  lines.length = 0;
}

async function cleanUpLines(context: FlowContext): Promise<string[]> {
  lines.length = 0;
  await runSteps(context, ["cleanup"]);
  return lines.filter((line) => line.startsWith("  "));
}

/** Deletes the SaaS user as someone might by hand: out of its group, keys first. */
async function deleteSaasUserByHand(context: FlowContext): Promise<void> {
  const { iam } = context.saasConfig();
  await iam.send(new RemoveUserFromGroupCommand({ GroupName: names.group, UserName: names.user }));
  const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: names.user }));
  for (const key of AccessKeyMetadata) await iam.send(new DeleteAccessKeyCommand({ UserName: names.user, AccessKeyId: key.AccessKeyId }));
  await iam.send(new DeleteUserCommand({ UserName: names.user }));
}

/** Lets each account's configuration user manage S3 and SageMaker, as an administrator's profile often may on real AWS. */
async function letConfigurationUsersManageResources(context: FlowContext, allow: boolean): Promise<void> {
  for (const clients of [context.customerConfig(), context.saasConfig()]) {
    const { Arn } = await clients.sts.send(new GetCallerIdentityCommand({}));
    for (const policy of ["AmazonS3FullAccess", "AmazonSageMakerFullAccess"]) {
      const change = { UserName: Arn!.split("/").pop()!, PolicyArn: `arn:aws:iam::aws:policy/${policy}` };
      await clients.iam.send(allow ? new AttachUserPolicyCommand(change) : new DetachUserPolicyCommand(change));
    }
  }
}

describe("cleanup", () => {
  it("removes everything, says what; run again (or from another run dir) it finds nothing and succeeds", async () => {
    const context = runIn(join(dir, "run"));
    await setUpRun(context);
    const { customerBucket, saasBucket } = context.state.read();

    const first = await cleanUpLines(context);
    expect(first).toEqual(
      expect.arrayContaining([
        "  already gone: endpoint config churn-gone-config",
        "  already gone: model churn-gone-model",
        `  removed training data (1 object(s) in s3://${customerBucket})`,
        `  removed bucket ${customerBucket}`,
        `  already gone: bucket policy of ${saasBucket}`,
        `  removed bucket ${saasBucket}`,
        `  removed user ${names.user} and its access keys`,
        `  removed profile [${names.userProfile}] in ${running.target.credentialsFile}`,
        `  removed group ${names.group}`,
        `  removed role ${names.role}`,
        `  removed policy ${names.customerPolicy}`,
        "  cleanup: 12 removed, 3 already gone, 0 failed",
      ]),
    );
    expect(first.some((line) => line.includes("could not"))).toBe(false);
    // The least-privilege role and policy: never made by a run without --least-privilege, so not "already gone" either.
    expect(first.filter((line) => line.includes(names.executionRole) || line.includes(names.crossAccountPolicy))).toEqual([]);
    expect(existsSync(context.state.path)).toBe(false);
    expect(await leftovers(running.target, names, "inspector")).toEqual([]);

    // With no run recorded any more, nothing is there to remove, and nothing claims to have been.
    expect(await cleanUpLines(context)).toEqual(["  nothing to remove: nothing the run made is there"]);
    expect(await cleanUpLines(runIn(join(dir, "other-run")))).toEqual(["  nothing to remove: nothing the run made is there"]);
  }, 60_000);

  it("after the SaaS user was deleted by hand, removes the rest as the configuration profiles", async () => {
    const context = runIn(join(dir, "run"));
    await setUpRun(context);
    const { customerBucket, saasBucket } = context.state.read();
    await deleteSaasUserByHand(context);
    await letConfigurationUsersManageResources(context, true);

    const cleanup = await cleanUpLines(context);
    expect(cleanup).toEqual(
      expect.arrayContaining([
        `  cannot act as role ${names.role} (NoSuchEntityException: The user with name ${names.user} cannot be found.): acting as profile ${names.customerProfile} instead`,
        `  cannot act as user ${names.user} (NoSuchEntityException: The user with name ${names.user} cannot be found.): acting as profile ${names.saasProfile} instead`,
        `  removed bucket ${customerBucket}`,
        `  removed bucket ${saasBucket}`,
        `  already gone: user ${names.user} and its access keys`,
        `  removed group ${names.group}`,
        `  removed role ${names.role}`,
      ]),
    );
    expect(cleanup.some((line) => line.includes("could not"))).toBe(false);
    await letConfigurationUsersManageResources(context, false);
    expect(await leftovers(running.target, names, "inspector")).toEqual([]);
  }, 60_000);

  it("carries on past a removal it may not do, reports it, keeps the run state, and a later cleanup finishes", async () => {
    const context = runIn(join(dir, "run"));
    await setUpRun(context);
    const { customerBucket, saasBucket } = context.state.read();
    await deleteSaasUserByHand(context); // now only the configuration profiles (IAMFullAccess only) can act

    const failure = await runSteps(context, ["cleanup"]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CleanupIncompleteError);
    const message = (failure as Error).message;
    const denied = (who: string, action: string) => `(AccessDenied: User: arn:aws:iam::${who} is not authorized to perform: ${action} on resource: `;
    expect(message).toMatch(/^cleanup could not remove 7 thing\(s\): endpoint config churn-gone-config /);
    expect(message).toContain(`model churn-gone-model ${denied("111111111111:user/customer_config", "sagemaker:DeleteModel")}`);
    expect(message).toContain(`training data (1 object(s) in s3://${customerBucket}) ${denied("111111111111:user/customer_config", "s3:ListBucket")}`);
    expect(message).toContain(`bucket policy of ${saasBucket} ${denied("222222222222:user/saas_config", "s3:GetBucketPolicy")}`);
    expect(message).toContain(`bucket ${saasBucket} ${denied("222222222222:user/saas_config", "s3:DeleteBucket")}`);
    expect(message).toContain("run the cleanup again");
    expect(lines).toContain(
      `  could not remove bucket ${customerBucket} (as profile ${names.customerProfile}): AccessDenied: User: arn:aws:iam::111111111111:user/customer_config is not authorized to perform: s3:DeleteBucket on resource: arn:aws:s3:::${customerBucket} because no identity-based policy allows the s3:DeleteBucket action`,
    );
    // Everything else went: IAM in both accounts, the profile, the data files.
    expect(lines).toEqual(expect.arrayContaining([`  removed group ${names.group}`, `  removed role ${names.role}`, `  removed policy ${names.customerPolicy}`, "  cleanup: 7 removed, 1 already gone, 7 failed"]));
    expect(readProfileKey(running.target.credentialsFile, names.userProfile)).toBeUndefined();
    expect(context.state.read()).toMatchObject({ customerBucket, saasBucket, customerKeys: [expect.any(String)] });
    expect((await leftovers(running.target, names, "inspector")).sort()).toEqual([`customer_config: bucket ${customerBucket}`, `saas_config: bucket ${saasBucket}`]);

    await letConfigurationUsersManageResources(context, true);
    const retry = await cleanUpLines(context);
    expect(retry).toEqual(expect.arrayContaining([`  removed bucket ${customerBucket}`, `  removed bucket ${saasBucket}`, `  already gone: role ${names.role}`]));
    expect(existsSync(context.state.path)).toBe(false);
  }, 60_000);
});

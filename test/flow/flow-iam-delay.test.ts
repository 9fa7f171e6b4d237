import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AttachGroupPolicyCommand, AttachRolePolicyCommand, DetachGroupPolicyCommand, DetachRolePolicyCommand } from "@aws-sdk/client-iam";
import { FlowContext, flowSettings } from "../../lib/flow/flow-context.ts";
import { policyArn } from "../../lib/flow/names.ts";
import { runSteps, type StepName } from "../../lib/flow/steps.ts";
import { startLocalTarget, type RunningTarget } from "../../lib/flow/targets.ts";

/** The local AWS's delay before IAM changes take effect: short, to keep the test fast. */
const DELAY_SECONDS = 1;

let dir: string;
let running: RunningTarget;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flow-iam-delay-"));
  running = await startLocalTarget(dir, DELAY_SECONDS);
});
afterAll(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh context each time, as a new notebook cell or CLI step would open (no cached role session). */
const context = () => new FlowContext(flowSettings(running.target, { dataPath: "copy", maxCandidates: 2, mode: "AUTO", leastPrivilege: false, workDir: dir, log: (line) => lines.push(line) }));
const steps = (...names: StepName[]) => runSteps(context(), names);
const waitsFor = (what: string) => lines.filter((line) => line.includes(what) && line.includes("waiting for IAM changes to take effect"));

/** Takes a permission away, waits until that counts, and gives it back: it counts again only after the delay. */
async function regrant(detach: () => Promise<unknown>, attach: () => Promise<unknown>): Promise<void> {
  await detach();
  await sleep(DELAY_SECONDS * 1000 + 200);
  await attach();
}

describe(`the whole flow with IAM changes taking effect ${DELAY_SECONDS} s late, as on AWS`, () => {
  it("waits out every first use of new IAM, and runs to the end", async () => {
    await steps("accounts", "customer-iam", "saas-iam");
    expect(waitsFor("saas_user's new access key").length).toBe(1);
    const { customer, saas } = await context().accounts();
    const names = context().names;

    const saasIam = context().saasConfig().iam;
    const saasS3 = { GroupName: names.group, PolicyArn: policyArn(saas, names.saasPolicy) };
    await regrant(() => saasIam.send(new DetachGroupPolicyCommand(saasS3)), () => saasIam.send(new AttachGroupPolicyCommand(saasS3)));
    await steps("data");
    expect(waitsFor("reading the sample data set as saas_user")).toEqual(["  reading the sample data set as saas_user: AccessDenied, waiting for IAM changes to take effect"]);

    const customerIam = context().customerConfig().iam;
    const customerS3 = { RoleName: names.role, PolicyArn: policyArn(customer, names.customerPolicy) };
    await regrant(() => customerIam.send(new DetachRolePolicyCommand(customerS3)), () => customerIam.send(new AttachRolePolicyCommand(customerS3)));
    await steps("assume-role", "upload");
    expect(waitsFor("handing over the training data as the customer's role")).toHaveLength(1);

    await steps("job", "deploy", "predict", "cleanup");
    expect(lines.some((line) => /accuracy \d/.test(line))).toBe(true);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SAME_INTERRUPTION_MS } from "../../lib/flow/interruption.ts";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import type { Target } from "../../lib/flow/sessions.ts";
import { startLocalTarget } from "../../lib/flow/targets.ts";
import { startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { npmStart, type NpmStartOptions, type NpmStartRun } from "../helpers/npm-start.ts";
import { leftovers } from "./leftovers.ts";

let dir: string;
let aws: TestAws;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flow-signals-"));
  // A second local AWS stands in for real AWS: --target aws --endpoint-url, with the profiles in its files.
  aws = await startTestAws({ stateDir: join(dir, "aws") });
});
afterAll(async () => {
  await aws.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What is left of a run of the local AWS kept in `stateDir`, seen through a local AWS started on it. */
async function leftoversIn(stateDir: string): Promise<string[]> {
  const running = await startLocalTarget(stateDir);
  try {
    return await leftovers(running.target, BLOG_NAMES, "inspector");
  } finally {
    await running.stop();
  }
}

/** The stand-in for real AWS, as the runs on --target aws see it. */
const awsTarget = (): Target => ({ kind: "aws", region: aws.region, endpoint: aws.endpoint, credentialsFile: aws.credentialsFile!, configFile: aws.configFile! });

/** The run's folder, as it reports it. */
function runFolder(run: NpmStartRun): string {
  return /, state in (\S+)/.exec(run.output)![1]!;
}

/**
 * A run that ended interrupted, cleaned up: the signal's exit status (npm passes it on by ending
 * itself with the signal), one "interrupted" however many copies arrived, no quitting.
 */
function expectCleanedUpAfter(run: NpmStartRun, ended: number | NodeJS.Signals): void {
  expect(typeof ended === "number" ? run.code : run.signal, run.output).toBe(ended);
  expect(run.output.match(/: stopping, then cleaning up/g), run.output).toHaveLength(1);
  expect(run.output).toMatch(/✔ cleanup \(/);
  expect(run.output).not.toContain("quitting");
  expect(run.output).not.toContain("clean up with:");
}

const stopAtJob = (signals: NodeJS.Signals[], extra: Partial<NpmStartOptions> = {}): NpmStartOptions => ({ interrupt: { after: "▶ job", signals, gapMs: 10 }, ...extra });

describe("a stop signal's copies", () => {
  /** The fixture: work until a stop signal, then a cleanup lasting `cleanupMs`. */
  const child = (cleanupMs: number) => {
    const process_ = spawn(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "fixtures/interrupted-work.ts"), String(cleanupMs)], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    process_.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    process_.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const ended = new Promise<number | null>((done) => process_.on("close", (code) => done(code)));
    const printed = async (text: string) => {
      while (!output.includes(text)) await sleep(10);
    };
    return { process: process_, ended, printed, output: () => output };
  };

  it("arriving together are one interruption, whose cleanup runs to its end", async () => {
    const work = child(500);
    await work.printed("working");
    for (let copy = 0; copy < 3; copy++) work.process.kill("SIGTERM");
    expect(await work.ended).toBe(143);
    expect(work.output()).toBe("working\nSIGTERM: stopping, then cleaning up (Ctrl-C again to quit at once)\ncleaning up\ncleaned up\n");
  });

  it("but one sent later, on purpose, quits at once and says what is left", async () => {
    const work = child(60_000);
    await work.printed("working");
    work.process.kill("SIGINT");
    work.process.kill("SIGINT");
    await work.printed("cleaning up");
    await sleep(SAME_INTERRUPTION_MS + 100);
    expect(work.process.exitCode).toBeNull();
    work.process.kill("SIGINT");
    expect(await work.ended).toBe(130);
    expect(work.output()).toMatch(/cleaning up\nquitting without cleaning up; clean up with: the cleanup command\n$/);
  });
});

describe("npm start interrupted during the job", () => {
  it("by Ctrl-C through npm (npm, tsx and node all signalled, npm and tsx relaying): stops the job, removes everything, its folder, and ends the local AWS", async () => {
    const run = await npmStart(["--max-candidates", "2", "--results", join(dir, "results")], stopAtJob(["SIGINT"], { throughNpm: true }));
    expectCleanedUpAfter(run, "SIGINT");
    expect(run.output).toMatch(/stopped job churn-/);
    expect(existsSync(runFolder(run))).toBe(false);
    const endpoint = /local AWS at (http:\S+),/.exec(run.output)![1]!;
    await expect(fetch(endpoint)).rejects.toThrow();
  }, 120_000);

  it("by SIGINT twice in quick succession: cleans up, and nothing is left", async () => {
    const stateDir = join(dir, "twice");
    const run = await npmStart(["--state-dir", stateDir, "--max-candidates", "2", "--data-path", "direct", "--results", join(dir, "results")], stopAtJob(["SIGINT", "SIGINT"]));
    expectCleanedUpAfter(run, 130);
    expect(existsSync(join(stateDir, "run-state.json"))).toBe(false);
    expect(existsSync(join(stateDir, "data"))).toBe(false);
    expect(await leftoversIn(stateDir)).toEqual([]);
  }, 120_000);

  it("on --target aws, by SIGTERM twice (kill, timeout): cleans up, least-privilege roles too, and nothing is left", async () => {
    const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile!, AWS_CONFIG_FILE: aws.configFile! };
    const stateDir = join(dir, "aws-sigterm");
    const args = ["--target", "aws", "--yes", "--endpoint-url", aws.endpoint, "--state-dir", stateDir, "--least-privilege", "--max-candidates", "2", "--results", join(dir, "results")];
    const run = await npmStart(args, { env, ...stopAtJob(["SIGTERM", "SIGTERM"]) });
    expectCleanedUpAfter(run, 143);
    expect(run.output).toContain("removed role customer_sagemaker_execution");
    expect(await leftovers(awsTarget(), BLOG_NAMES, "inspector-sigterm")).toEqual([]);
  }, 120_000);
});

describe("npm start interrupted during the transform job", () => {
  it("by Ctrl-C (--predict-with batch): stops the job unless it has ended, removes its model, input and output, and nothing is left", async () => {
    const stateDir = join(dir, "transform");
    const run = await npmStart(["--state-dir", stateDir, "--max-candidates", "2", "--predict-with", "batch", "--results", join(dir, "results")], { interrupt: { after: "  transform job churn-", signals: ["SIGINT"] } });
    expectCleanedUpAfter(run, 130);
    const transformJob = /^ {2}transform job (\S+):/m.exec(run.output)![1]!;
    // The local transform of 1,000 rows takes about a second: the stop may come after it has ended.
    expect(run.output).toMatch(new RegExp(`  (stopped transform job ${transformJob}\n|kept transform job ${transformJob}: it ended Completed)`));
    expect(run.output).toContain(`  removed model ${transformJob}-model`);
    expect(run.output).toMatch(new RegExp(`  removed transform job ${transformJob}'s input \\(1 object\\(s\\) in s3://sagemaker-us-east-1-111111111111\\)`));
    expect(existsSync(join(stateDir, "run-state.json"))).toBe(false);
    expect(await leftoversIn(stateDir)).toEqual([]);
  }, 120_000);
});

describe("npm start --keep interrupted", () => {
  /** Runs the command the interrupted run printed, as printed. */
  async function runPrinted(run: NpmStartRun, env?: Record<string, string>): Promise<NpmStartRun> {
    const command = /clean up with: npm start -- (.*)$/m.exec(run.output)?.[1];
    expect(command, run.output).toBeDefined();
    return npmStart(command!.split(" "), env ? { env } : {});
  }

  it("on the local AWS leaves everything and the exact command that removes it", async () => {
    const run = await npmStart(["--keep", "--max-candidates", "2", "--results", join(dir, "results")], stopAtJob(["SIGINT"]));
    expect(run.code, run.output).toBe(130);
    const folder = runFolder(run);
    expect(run.output).toContain(`state in ${folder}; clean up with: npm start -- --state-dir ${folder} --step cleanup`);
    const cleanup = await runPrinted(run);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toMatch(/removed role customer_trusting_saas/);
    expect(await leftoversIn(folder)).toEqual([]);
    rmSync(folder, { recursive: true, force: true });
  }, 120_000);

  it("on --target aws names the region and endpoint in that command", async () => {
    const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile!, AWS_CONFIG_FILE: aws.configFile! };
    const stateDir = join(dir, "aws-keep");
    const run = await npmStart(["--target", "aws", "--yes", "--endpoint-url", aws.endpoint, "--state-dir", stateDir, "--keep", "--max-candidates", "2"], { env, ...stopAtJob(["SIGTERM"]) });
    expect(run.code, run.output).toBe(143);
    expect(run.output).toContain(`clean up with: npm start -- --state-dir ${stateDir} --target aws --region ${aws.region} --endpoint-url ${aws.endpoint} --yes --step cleanup`);
    const cleanup = await runPrinted(run, env);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(await leftovers(awsTarget(), BLOG_NAMES, "inspector-keep")).toEqual([]);
  }, 120_000);
});

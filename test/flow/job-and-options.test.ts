import { describe, expect, it } from "vitest";
import type { DescribeAutoMLJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { whileIamSettles } from "../../lib/flow/assume-role.ts";
import { bestCandidateOf, JobOutcomeError } from "../../lib/flow/automl-job.ts";
import { parseCliOptions, UsageError } from "../../lib/flow/cli-options.ts";
import { STEP_NAMES } from "../../lib/flow/steps.ts";

const job = (fields: Partial<DescribeAutoMLJobCommandOutput>) => ({ AutoMLJobName: "churn-1", $metadata: {}, ...fields }) as DescribeAutoMLJobCommandOutput;

describe("the job's outcome", () => {
  it("gives the best candidate of a completed job", () => {
    expect(bestCandidateOf(job({ AutoMLJobStatus: "Completed", BestCandidate: { CandidateName: "best" } as never })).CandidateName).toBe("best");
  });

  it("says why a failed or stopped job has nothing to deploy, instead of crashing", () => {
    expect(() => bestCandidateOf(job({ AutoMLJobStatus: "Failed", FailureReason: "ClientError: no Churn? column" }))).toThrow(
      new JobOutcomeError("AutoML job churn-1 failed: ClientError: no Churn? column"),
    );
    expect(() => bestCandidateOf(job({ AutoMLJobStatus: "Stopped", AutoMLJobSecondaryStatus: "Stopped" }))).toThrow(/ended Stopped\/Stopped without a best candidate/);
  });
});

describe("waiting for IAM to settle", () => {
  const failing = (name: string, times: number) => {
    let calls = 0;
    const provider = async () => {
      calls++;
      if (calls <= times) throw Object.assign(new Error(`${name} #${calls}`), { name });
      return { accessKeyId: "AKIA", secretAccessKey: "s" };
    };
    return { provider, calls: () => calls };
  };

  it("retries while IAM settles, then succeeds", async () => {
    const settling = failing("AccessDenied", 2);
    await whileIamSettles("assuming", settling.provider, { attempts: 5, intervalMs: 1 });
    expect(settling.calls()).toBe(3);
  });

  it("gives up after the bounded number of attempts, and at once on other errors", async () => {
    const denied = failing("AccessDenied", 10);
    await expect(whileIamSettles("assuming", denied.provider, { attempts: 3, intervalMs: 1 })).rejects.toThrow("assuming failed after 3 attempt(s): AccessDenied #3");
    const broken = failing("ValidationError", 10);
    await expect(whileIamSettles("assuming", broken.provider, { attempts: 3, intervalMs: 1 })).rejects.toMatchObject({ name: "ValidationError", message: "ValidationError #1" });
    expect(broken.calls()).toBe(1);
  });
});

describe("npm start's options", () => {
  it("runs every step on the local AWS by default, cleanup last", () => {
    const options = parseCliOptions([]);
    expect(options).toMatchObject({ target: "local", dataPath: "local", keep: false, leastPrivilege: false, maxCandidates: 3, mode: "AUTO", iamDelaySeconds: 0, yes: false });
    expect(options.region).toBeUndefined();
    // The blog's endpoint: the batch step is --predict-with's.
    expect(options.predictWith).toBe("endpoint");
    expect(options.steps).toEqual(STEP_NAMES.filter((step) => step !== "batch"));
  });

  it("scores with a transform job instead of the endpoint (no deploy, no predict), or with both, the batch step after the endpoint's", () => {
    expect(parseCliOptions(["--predict-with", "batch"]).steps).toEqual(["accounts", "customer-iam", "saas-iam", "data", "assume-role", "upload", "job", "batch", "cleanup"]);
    expect(parseCliOptions(["--predict-with", "both"]).steps).toEqual([...STEP_NAMES]);
    expect(parseCliOptions(["--predict-with", "both", "--keep"]).steps.slice(-3)).toEqual(["deploy", "predict", "batch"]);
    expect(parseCliOptions(["--step", "batch", "--state-dir", "/tmp/x"]).steps).toEqual(["batch"]);
  });

  it("skips cleanup with --keep, runs one step with --step, reads the other flags", () => {
    expect(parseCliOptions(["--keep"]).steps).not.toContain("cleanup");
    expect(parseCliOptions(["--step", "cleanup", "--state-dir", "/tmp/x"])).toMatchObject({ steps: ["cleanup"], stateDir: "/tmp/x" });
    expect(parseCliOptions(["--data-path", "direct", "--max-candidates", "7", "--target", "aws", "--yes", "--least-privilege", "--region", "eu-west-1"])).toMatchObject({
      leastPrivilege: true,
      dataPath: "direct",
      maxCandidates: 7,
      target: "aws",
      yes: true,
      region: "eu-west-1",
    });
  });

  it.each([
    [["--data-path", "ftp"], /--data-path must be one of local, copy, direct/],
    [["--step", "train"], /--step must be one of accounts, /],
    [["--max-candidates", "0"], /positive integer/],
    [["--frobnicate"], /Unknown option/],
    [["--step", "cleanup"], /--step on the local AWS needs --state-dir/],
    [["--iam-delay", "soon"], /--iam-delay must be a number of seconds, 0 or more, got "soon"/],
    [["--target", "aws", "--iam-delay", "2"], /--iam-delay goes with the local AWS/],
    [["--mode", "FAST"], /--mode must be one of AUTO, ENSEMBLING, HYPERPARAMETER_TUNING/],
    [["--predict-with", "lambda"], /--predict-with must be one of endpoint, batch, both, got "lambda"/],
  ])("refuses %j with a usage error", (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(UsageError);
    expect(() => parseCliOptions(argv)).toThrow(message);
  });
});

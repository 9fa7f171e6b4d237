import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeAutoMLJobCommand,
  waitUntilEndpointInService,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { AttachUserPolicyCommand, CreateRoleCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { s3For } from "../helpers/s3.ts";
import { sagemakerFor, waitForJob } from "../helpers/sagemaker.ts";

const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
const ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/autopilot_execution`;
const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8");

const dirs: string[] = [];
const running: TestAws[] = [];
afterEach(async () => {
  for (const aws of running.splice(0)) await aws.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(stateDir: string): Promise<TestAws> {
  const aws = await startTestAws({ stateDir });
  running.push(aws);
  return aws;
}

/** The customer's configuration user, given SageMaker and S3 rights, with an execution role for jobs. */
async function prepare(aws: TestAws): Promise<void> {
  const iam = clientsFor(aws, aws.customer).iam;
  for (const policy of ["AmazonSageMakerFullAccess", "AmazonS3FullAccess"]) {
    await iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
  }
  await iam.send(
    new CreateRoleCommand({
      RoleName: "autopilot_execution",
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    }),
  );
  const { AttachRolePolicyCommand } = await import("@aws-sdk/client-iam");
  await iam.send(new AttachRolePolicyCommand({ RoleName: "autopilot_execution", PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" }));
  const s3 = s3For(aws, aws.customer);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "restart/train/data.csv", Body: churn }));
}

describe("a server restart", () => {
  it("resumes a running job and serves a deployed endpoint again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sagemaker-restart-"));
    dirs.push(dir);
    const first = await start(dir);
    await prepare(first);
    const { sagemaker } = sagemakerFor(first, first.customer);
    await sagemaker.send(
      new CreateAutoMLJobCommand({
        AutoMLJobName: "survives-restart",
        InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/restart/train/` } }, TargetAttributeName: "Churn?" }],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/restart/output` },
        AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: 3 } },
        RoleArn: ROLE_ARN,
      }),
    );
    const deadline = Date.now() + 30_000;
    while ((await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "survives-restart" }))).AutoMLJobSecondaryStatus !== "TrainingModels") {
      if (Date.now() > deadline) throw new Error("the job never reached TrainingModels");
      await new Promise((wait) => setTimeout(wait, 100));
    }
    await first.stop();
    running.splice(0);

    const second = await start(dir);
    const clients = sagemakerFor(second, second.customer);
    const { job } = await waitForJob(clients.sagemaker, "survives-restart");
    expect(job.AutoMLJobStatus).toBe("Completed");
    expect(job.ProblemType).toBe("BinaryClassification");
    const best = job.BestCandidate!;
    await clients.sagemaker.send(new CreateModelCommand({ ModelName: "restart-model", PrimaryContainer: best.InferenceContainers![0], ExecutionRoleArn: ROLE_ARN }));
    await clients.sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "restart-config", ProductionVariants: [{ VariantName: "v", ModelName: "restart-model" }] }));
    await clients.sagemaker.send(new CreateEndpointCommand({ EndpointName: "restart-endpoint", EndpointConfigName: "restart-config" }));
    await waitUntilEndpointInService({ client: clients.sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 30 }, { EndpointName: "restart-endpoint" });
    await second.stop();
    running.splice(0);

    const third = await start(dir);
    const row = churn.split("\n")[1]!.split(",").slice(0, -1).join(",");
    const answer = await sagemakerFor(third, third.customer).runtime.send(new InvokeEndpointCommand({ EndpointName: "restart-endpoint", ContentType: "text/csv", Body: Buffer.from(row) }));
    expect(Buffer.from(answer.Body!).toString("utf8").trim()).toMatch(/^(True|False)\.$/);
  }, 180_000);
});

import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeAutoMLJobCommand,
  DescribeEndpointCommand,
  waitUntilEndpointInService,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { s3For } from "../helpers/s3.ts";
import { autopilotUserAndRole, sagemakerFor, waitForJob } from "../helpers/sagemaker.ts";

const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
const ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/autopilot_execution`;
const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8");

const dirs: string[] = [];
const running: TestAws[] = [];
afterEach(async () => {
  for (const aws of running.splice(0)) await aws.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(stateDir: string, autopilotEnsemblingMaxBytes?: number): Promise<TestAws> {
  const aws = await startTestAws({ stateDir, ...(autopilotEnsemblingMaxBytes !== undefined && { config: { autopilotEnsemblingMaxBytes } }) });
  running.push(aws);
  return aws;
}

/** The customer's configuration user, given SageMaker and S3 rights, with an execution role for jobs. */
async function prepare(aws: TestAws): Promise<void> {
  await autopilotUserAndRole(aws, "autopilot_execution");
  const s3 = s3For(aws, aws.customer);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "restart/train/data.csv", Body: churn }));
}

describe("a server restart", () => {
  it("resumes a running job in the mode it resolved to, serves a deployed endpoint again, and finishes a deletion", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sagemaker-restart-"));
    dirs.push(dir);
    // AUTO resolves to HYPERPARAMETER_TUNING here (the line is 1,000 bytes); after the restart the line is 100 MB again.
    const first = await start(dir, 1000);
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
    while ((await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "survives-restart" }))).AutoMLJobSecondaryStatus !== "ModelTuning") {
      if (Date.now() > deadline) throw new Error("the job never reached ModelTuning");
      await new Promise((wait) => setTimeout(wait, 100));
    }
    await first.stop();
    running.splice(0);

    const second = await start(dir);
    const clients = sagemakerFor(second, second.customer);
    const { job } = await waitForJob(clients.sagemaker, "survives-restart");
    expect(job.AutoMLJobStatus).toBe("Completed");
    expect(job.ProblemType).toBe("BinaryClassification");
    expect(job.AutoMLJobConfig?.Mode).toBe("HYPERPARAMETER_TUNING");
    const best = job.BestCandidate!;
    expect(best.InferenceContainers).toHaveLength(3);
    await clients.sagemaker.send(new CreateModelCommand({ ModelName: "restart-model", Containers: best.InferenceContainers, ExecutionRoleArn: ROLE_ARN }));
    await clients.sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "restart-config", ProductionVariants: [{ VariantName: "v", ModelName: "restart-model" }] }));
    await clients.sagemaker.send(new CreateEndpointCommand({ EndpointName: "restart-endpoint", EndpointConfigName: "restart-config" }));
    await waitUntilEndpointInService({ client: clients.sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 30 }, { EndpointName: "restart-endpoint" });
    await second.stop();
    running.splice(0);

    const third = await start(dir);
    const row = churn.split("\n")[1]!.split(",").slice(0, -1).join(",");
    const thirdClients = sagemakerFor(third, third.customer);
    const answer = await thirdClients.runtime.send(new InvokeEndpointCommand({ EndpointName: "restart-endpoint", ContentType: "text/csv", Body: Buffer.from(row) }));
    expect(Buffer.from(answer.Body!).toString("utf8").trim()).toMatch(/^(True|False)\.$/);
    await thirdClients.sagemaker.send(new DeleteEndpointCommand({ EndpointName: "restart-endpoint" }));
    await third.stop();
    running.splice(0);

    // Caught Deleting by the stop: gone at the next start.
    const fourth = await start(dir);
    await expect(sagemakerFor(fourth, fourth.customer).sagemaker.send(new DescribeEndpointCommand({ EndpointName: "restart-endpoint" }))).rejects.toMatchObject({ name: "ValidationException" });
  }, 180_000);
});

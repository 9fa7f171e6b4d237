/**
 * SageMaker's resources are regional: an AutoML job, model, endpoint config or endpoint lives in
 * the region it was created in (its ARN says which), its name is unique per account and region,
 * and a request for another region neither sees it nor collides with it. Work resumed after a
 * restart runs in the resource's own region, whatever the server's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteModelCommand,
  DescribeAutoMLJobCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListAutoMLJobsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  SageMakerClient,
  StopAutoMLJobCommand,
  waitUntilEndpointInService,
  type CreateAutoMLJobCommandInput,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { autopilotUserAndRole, sdkStyleContainers, waitForJob } from "../helpers/sagemaker.ts";

const EU = "eu-west-1";
const US = "us-east-1";
const BUCKET = `sagemaker-${EU}-${CUSTOMER_ACCOUNT_ID}`;
const ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/autopilot_execution`;
const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8");
const row = churn.split("\n")[1]!.split(",").slice(0, -1).join(",");

const stateDir = mkdtempSync(join(tmpdir(), "sagemaker-regions-"));
let aws: TestAws;

const clients = (region: string) => {
  const common = { endpoint: aws.endpoint, region, credentials: aws.customer, maxAttempts: 1 };
  return { sagemaker: new SageMakerClient(common), runtime: new SageMakerRuntimeClient(common) };
};

const jobInput = (name: string): CreateAutoMLJobCommandInput => ({
  AutoMLJobName: name,
  InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/train/` } }, TargetAttributeName: "Churn?" }],
  OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
  ProblemType: "BinaryClassification",
  AutoMLJobObjective: { MetricName: "F1" },
  AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: 1 } },
  RoleArn: ROLE_ARN,
});

/** The customer's configuration user with SageMaker and S3 rights, an execution role, and the data in a bucket in eu-west-1. */
beforeAll(async () => {
  aws = await startTestAws({ stateDir });
  await autopilotUserAndRole(aws, "autopilot_execution");
  const s3 = new S3Client({ endpoint: aws.endpoint, region: EU, credentials: aws.customer, maxAttempts: 1, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: EU } }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "train/data.csv", Body: churn }));
});
afterAll(async () => {
  await aws.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("SageMaker resources live in their region", () => {
  it("an AutoML job made in eu-west-1 is not seen from us-east-1, where a job of the same name can be made", async () => {
    const eu = clients(EU).sagemaker;
    const us = clients(US).sagemaker;
    expect((await eu.send(new CreateAutoMLJobCommand(jobInput("regional")))).AutoMLJobArn).toBe(`arn:aws:sagemaker:${EU}:${CUSTOMER_ACCOUNT_ID}:automl-job/regional`);

    await expect(us.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "regional" }))).rejects.toMatchObject({ name: "ResourceNotFound", message: "Could not find AutoML job with name regional." });
    await expect(us.send(new StopAutoMLJobCommand({ AutoMLJobName: "regional" }))).rejects.toMatchObject({ name: "ResourceNotFound" });
    expect((await us.send(new ListAutoMLJobsCommand({}))).AutoMLJobSummaries).toEqual([]);

    expect((await us.send(new CreateAutoMLJobCommand(jobInput("regional")))).AutoMLJobArn).toBe(`arn:aws:sagemaker:${US}:${CUSTOMER_ACCOUNT_ID}:automl-job/regional`);
    await expect(eu.send(new CreateAutoMLJobCommand(jobInput("regional")))).rejects.toMatchObject({ name: "ResourceInUse" });
    // Stopping us-east-1's job leaves eu-west-1's running.
    await us.send(new StopAutoMLJobCommand({ AutoMLJobName: "regional" }));
    const { job } = await waitForJob(eu, "regional");
    expect([job.AutoMLJobStatus, job.FailureReason]).toEqual(["Completed", undefined]);
    expect(job.BestCandidate!.CandidateSteps![0]!.CandidateStepArn).toContain(`:${EU}:`);
    expect((await waitForJob(us, "regional")).job.AutoMLJobStatus).toBe("Stopped");
    expect((await eu.send(new ListAutoMLJobsCommand({}))).AutoMLJobSummaries!.map((summary) => summary.AutoMLJobArn)).toEqual([job.AutoMLJobArn]);
  });

  it("a model, endpoint config and endpoint made in eu-west-1 are served there and not found from us-east-1", async () => {
    const eu = clients(EU);
    const us = clients(US);
    const { BestCandidate } = await eu.sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "regional" }));
    const containers = sdkStyleContainers(BestCandidate!.InferenceContainers!, ["predicted_label", "probability"]);
    await eu.sagemaker.send(new CreateModelCommand({ ModelName: "churn", Containers: containers, ExecutionRoleArn: ROLE_ARN }));
    await eu.sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "churn", ProductionVariants: [{ VariantName: "main", ModelName: "churn", InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] }));
    await eu.sagemaker.send(new CreateEndpointCommand({ EndpointName: "churn", EndpointConfigName: "churn" }));
    await waitUntilEndpointInService({ client: eu.sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: "churn" });
    const answer = await eu.runtime.send(new InvokeEndpointCommand({ EndpointName: "churn", ContentType: "text/csv", Body: Buffer.from(row) }));
    expect(Buffer.from(answer.Body!).toString("utf8")).toMatch(/^(True|False)\.,/);

    const modelArn = `arn:aws:sagemaker:${US}:${CUSTOMER_ACCOUNT_ID}:model/churn`;
    await expect(us.sagemaker.send(new DescribeModelCommand({ ModelName: "churn" }))).rejects.toMatchObject({ name: "ValidationException", message: `Could not find model "${modelArn}".` });
    await expect(us.sagemaker.send(new DeleteModelCommand({ ModelName: "churn" }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(us.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "churn" }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(us.sagemaker.send(new DescribeEndpointCommand({ EndpointName: "churn" }))).rejects.toMatchObject({ name: "ValidationException", message: 'Could not find endpoint "churn".' });
    await expect(us.sagemaker.send(new DeleteEndpointCommand({ EndpointName: "churn" }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(us.runtime.send(new InvokeEndpointCommand({ EndpointName: "churn", ContentType: "text/csv", Body: Buffer.from(row) }))).rejects.toMatchObject({
      name: "ValidationError",
      message: `Endpoint churn of account ${CUSTOMER_ACCOUNT_ID} not found.`,
    });
    expect((await us.sagemaker.send(new ListModelsCommand({}))).Models).toEqual([]);
    expect((await us.sagemaker.send(new ListEndpointsCommand({}))).Endpoints).toEqual([]);

    // The same name is free in us-east-1, and making it there leaves eu-west-1's model as it was.
    expect((await us.sagemaker.send(new CreateModelCommand({ ModelName: "churn", Containers: containers, ExecutionRoleArn: ROLE_ARN }))).ModelArn).toBe(modelArn);
    await us.sagemaker.send(new DeleteModelCommand({ ModelName: "churn" }));
    expect((await eu.sagemaker.send(new DescribeModelCommand({ ModelName: "churn" }))).ModelArn).toBe(`arn:aws:sagemaker:${EU}:${CUSTOMER_ACCOUNT_ID}:model/churn`);
  });

  it("a job and a deployment interrupted by a restart resume in eu-west-1 on a server whose own region is us-east-1", async () => {
    const eu = clients(EU);
    await eu.sagemaker.send(new CreateAutoMLJobCommand(jobInput("resumed")));
    await eu.sagemaker.send(new CreateEndpointCommand({ EndpointName: "redeployed", EndpointConfigName: "churn" }));
    await aws.stop();
    aws = await startTestAws({ stateDir });
    expect(aws.region).toBe(US);

    const after = clients(EU);
    await waitUntilEndpointInService({ client: after.sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: "redeployed" });
    const answer = await after.runtime.send(new InvokeEndpointCommand({ EndpointName: "redeployed", ContentType: "text/csv", Body: Buffer.from(row) }));
    expect(Buffer.from(answer.Body!).toString("utf8")).toMatch(/^(True|False)\.,/);
    const { job } = await waitForJob(after.sagemaker, "resumed");
    expect([job.AutoMLJobStatus, job.FailureReason]).toEqual(["Completed", undefined]);
    expect(job.BestCandidate!.CandidateSteps![0]!.CandidateStepArn).toContain(`:${EU}:${CUSTOMER_ACCOUNT_ID}:`);
  });
});

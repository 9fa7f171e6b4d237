import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  ListTransformJobsCommand,
  StopTransformJobCommand,
  waitUntilEndpointInService,
  waitUntilTransformJobCompletedOrStopped,
  type CreateTransformJobCommandInput,
  type DescribeTransformJobCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, setUpCrossAccount } from "../helpers/cross-account-fixture.ts";
import { s3For } from "../helpers/s3.ts";
import { sagemakerFor, sdkStyleContainers, waitForJob, waitForTransformJob } from "../helpers/sagemaker.ts";

const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8");
/** The churn rows without their header and target, as batch transform reads them. */
const features = churn
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.slice(0, line.lastIndexOf(",")));

let stateDir: string;
let aws: TestAws;
let role: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
let sagemaker: SageMakerClient;
let runtime: SageMakerRuntimeClient;
let s3: S3Client;

async function put(key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

async function text(key: string): Promise<string> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Body!.transformToString();
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

/** A model (and an endpoint serving it) for a candidate of a one-candidate Autopilot job in each mode. */
async function candidateModel(mode: "ENSEMBLING" | "HYPERPARAMETER_TUNING", name: string): Promise<void> {
  const { job } = await waitForJob(sagemaker, name);
  if (job.AutoMLJobStatus !== "Completed") throw new Error(`${name} ended ${job.AutoMLJobStatus}: ${job.FailureReason}`);
  const containers = sdkStyleContainers(job.BestCandidate!.InferenceContainers!, ["predicted_label", "probability"]);
  expect(containers).toHaveLength(mode === "ENSEMBLING" ? 1 : 3);
  await sagemaker.send(new CreateModelCommand({ ModelName: name, Containers: containers, ExecutionRoleArn: ROLE_ARN }));
  await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "main", ModelName: name }] }));
  await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: name });
}

/** Clients of the (re)started server, as the blog's assumed role. */
function connect(): void {
  ({ sagemaker, runtime } = sagemakerFor(aws, role));
  s3 = s3For(aws, role);
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "sagemaker-transform-"));
  aws = await startTestAws({ stateDir });
  const { saasUser } = await setUpCrossAccount(aws);
  const { Credentials: c } = await clientsFor(aws, saasUser).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "transform", ExternalId: EXTERNAL_ID }));
  role = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  connect();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await put("train/churn.csv", churn);
  const jobs = { ENSEMBLING: "ens", HYPERPARAMETER_TUNING: "hpo" } as const;
  for (const [mode, name] of Object.entries(jobs)) {
    await sagemaker.send(
      new CreateAutoMLJobCommand({
        AutoMLJobName: name,
        InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/train` } }, TargetAttributeName: "Churn?" }],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/automl` },
        ProblemType: "BinaryClassification",
        AutoMLJobObjective: { MetricName: "F1" },
        AutoMLJobConfig: { Mode: mode as keyof typeof jobs, CompletionCriteria: { MaxCandidates: 1 } },
        RoleArn: ROLE_ARN,
      }),
    );
  }
  await Promise.all(Object.entries(jobs).map(([mode, name]) => candidateModel(mode as keyof typeof jobs, name)));
}, 120_000);
afterAll(async () => {
  await aws.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function transformInput(name: string, model: string, input: string, overrides: Partial<CreateTransformJobCommandInput> = {}): CreateTransformJobCommandInput {
  return {
    TransformJobName: name,
    ModelName: model,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/${input}` } }, ContentType: "text/csv", SplitType: "Line" },
    TransformOutput: { S3OutputPath: `s3://${BUCKET}/out/${name}`, AssembleWith: "Line", Accept: "text/csv" },
    TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
    ...overrides,
  };
}

async function runTransform(input: CreateTransformJobCommandInput): Promise<DescribeTransformJobCommandOutput> {
  await sagemaker.send(new CreateTransformJobCommand(input));
  return waitForTransformJob(sagemaker, input.TransformJobName!);
}

async function firstOutput(prefix: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await keysUnder(prefix)).length === 0) {
    if (Date.now() > deadline) throw new Error(`nothing was written under ${prefix} within a minute`);
    await new Promise((wait) => setTimeout(wait, 20));
  }
}

const MANY = 6;
/** Objects of 2,500 rows, each one mini-batch sent record by record: long enough to stop or restart a job in the middle. */
async function manyObjects(prefix: string): Promise<void> {
  for (let i = 0; i < MANY; i++) await put(`${prefix}part-${i}.csv`, features.slice(0, 2500).join("\n"));
}

/** The endpoint's answer lines for rows (at most 6 MB a call, as InvokeEndpoint takes). */
async function endpointLines(endpoint: string, rows: string[], accept = "text/csv"): Promise<string[]> {
  const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: "text/csv", Accept: accept, Body: Buffer.from(rows.join("\n")) }));
  return Buffer.from(answer.Body!).toString("utf8").trim().split("\n");
}

describe("batch transform of churn rows", () => {
  it("joins each input row to the prediction the endpoint gives it, row for row, over several objects and mini-batches", async () => {
    // 10,000 rows (1.8 MB) in one object: MaxPayloadInMB 1 cuts it into mini-batches; a second object in a sub-prefix.
    const many = [...features, ...features];
    await put("in/joined/part-1.csv", many.join("\n") + "\n");
    await put("in/joined/more/part-2.csv", features.slice(0, 50).join("\n"));
    const job = await runTransform(transformInput("joined", "ens", "in/joined/", { MaxPayloadInMB: 1, DataProcessing: { JoinSource: "Input" } }));
    expect(job.FailureReason).toBeUndefined();
    expect(job.TransformJobStatus).toBe("Completed");
    expect(job.TransformJobArn).toBe(`arn:aws:sagemaker:us-east-1:${CUSTOMER_ACCOUNT_ID}:transform-job/joined`);
    expect(job.TransformStartTime!.getTime()).toBeLessThanOrEqual(job.TransformEndTime!.getTime());
    expect(job.DataProcessing).toEqual({ InputFilter: "$", OutputFilter: "$", JoinSource: "Input" });
    expect(await keysUnder("out/joined/")).toEqual(["out/joined/more/part-2.csv.out", "out/joined/part-1.csv.out"]);

    const expected = await endpointLines("ens", many);
    const lines = (await text("out/joined/part-1.csv.out")).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(many.length);
    expect(lines).toEqual(many.map((row, i) => `${row},${expected[i]}`));
    expect(new Set(expected.map((line) => line.split(",")[0]))).toEqual(new Set(["True.", "False."]));
    expect((await text("out/joined/more/part-2.csv.out")).trim().split("\n")).toEqual(features.slice(0, 50).map((row, i) => `${row},${expected[i]}`));
  });

  it("answers JSON Lines from an inference pipeline as its endpoint does, joined under SageMakerInput and SageMakerOutput, the object sent whole", async () => {
    const rows = features.slice(0, 300);
    await put("in/pipeline/rows.csv", rows.join("\n"));
    const job = await runTransform(
      transformInput("pipeline", "hpo", "in/pipeline/", {
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/in/pipeline/` } }, ContentType: "text/csv", SplitType: "None" },
        TransformOutput: { S3OutputPath: `s3://${BUCKET}/out/pipeline`, Accept: "application/jsonlines", AssembleWith: "Line" },
        DataProcessing: { JoinSource: "Input" },
      }),
    );
    expect(job.FailureReason).toBeUndefined();
    const expected = (await endpointLines("hpo", rows, "application/jsonlines")).map((line) => JSON.parse(line) as unknown);
    const joined = (await text("out/pipeline/rows.csv.out")).trim().split("\n").map((line) => JSON.parse(line) as unknown);
    expect(joined).toEqual(rows.map((row, i) => ({ SageMakerInput: row.split(","), SageMakerOutput: expected[i] })));
  });

  it("leaves an ID column out of the model's input and keeps it beside the prediction (InputFilter, OutputFilter), record by record", async () => {
    const rows = features.slice(0, 200);
    await put("in/ids/rows.csv", rows.map((row, i) => `customer-${i},${row}`).join("\n"));
    const job = await runTransform(
      transformInput("ids", "ens", "in/ids/", { BatchStrategy: "SingleRecord", DataProcessing: { InputFilter: "$[1:]", JoinSource: "Input", OutputFilter: "$[0,-2,-1]" } }),
    );
    expect(job.FailureReason).toBeUndefined();
    const expected = await endpointLines("ens", rows);
    expect((await text("out/ids/rows.csv.out")).trim().split("\n")).toEqual(rows.map((_, i) => `customer-${i},${expected[i]}`));
  });

  it("reads the objects a manifest lists, gzipped, with the job's Environment in the model's containers", async () => {
    const rows = features.slice(0, 100);
    await put("in/manifest/a.csv.gz", gzipSync(rows.slice(0, 60).join("\n")));
    await put("in/manifest/deeper/b.csv.gz", gzipSync(rows.slice(60).join("\n")));
    await put("in/manifest.json", JSON.stringify([{ prefix: `s3://${BUCKET}/in/manifest/` }, "a.csv.gz", "deeper/b.csv.gz"]));
    const job = await runTransform(
      transformInput("manifest", "ens", "in/manifest.json", {
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "ManifestFile", S3Uri: `s3://${BUCKET}/in/manifest.json` } }, ContentType: "text/csv", SplitType: "Line", CompressionType: "Gzip" },
        Environment: { SAGEMAKER_INFERENCE_OUTPUT: "predicted_label" },
      }),
    );
    expect(job.FailureReason).toBeUndefined();
    const labels = (await endpointLines("ens", rows)).map((line) => line.split(",")[0]);
    expect((await text("out/manifest/a.csv.gz.out")).trim().split("\n")).toEqual(labels.slice(0, 60));
    expect((await text("out/manifest/deeper/b.csv.gz.out")).trim().split("\n")).toEqual(labels.slice(60));
  });
});

describe("transform jobs that fail or stop", () => {
  it("fails a job whose model's role cannot write the output, with the reason", async () => {
    const iam = clientsFor(aws, aws.customer).iam;
    await iam.send(
      new CreateRoleCommand({
        RoleName: "transform_reader",
        AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "transform_reader",
        PolicyName: "read",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }] }),
      }),
    );
    const described = await sagemaker.send(new DescribeModelCommand({ ModelName: "ens" }));
    await sagemaker.send(new CreateModelCommand({ ModelName: "ens-reader", Containers: described.Containers, ExecutionRoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/transform_reader` }));
    await put("in/readonly/rows.csv", features.slice(0, 10).join("\n"));
    const job = await runTransform(transformInput("readonly", "ens-reader", "in/readonly/"));
    expect(job.TransformJobStatus).toBe("Failed");
    expect(job.FailureReason).toMatch(
      new RegExp(`^ClientError: s3://${BUCKET}/in/readonly/rows\\.csv: could not write its output s3://${BUCKET}/out/readonly/rows\\.csv\\.out: AccessDenied: .*assumed-role/transform_reader/SageMaker is not authorized to perform: s3:PutObject`),
    );
    expect(await keysUnder("out/readonly/")).toEqual([]);
  });

  it("fails a job with a malformed line, naming the object and the line, and still writes the objects that were fine", async () => {
    const rows = features.slice(0, 20);
    await put("in/malformed/a-good.csv", rows.join("\n"));
    await put("in/malformed/b-bad.csv", [rows[0], rows[1], "1,2,3", rows[2]].join("\n"));
    const job = await runTransform(transformInput("malformed", "ens", "in/malformed/"));
    expect(job.TransformJobStatus).toBe("Failed");
    expect(job.FailureReason).toMatch(new RegExp(`^ClientError: s3://${BUCKET}/in/malformed/b-bad\\.csv, line 3: Received client error \\(400\\) from primary with message ".+"\\.$`));
    expect(await keysUnder("out/malformed/")).toEqual(["out/malformed/a-good.csv.out"]);
  });

  it("fails a record larger than MaxPayloadInMB, naming it", async () => {
    await put("in/large-record/rows.csv", `${features[0]}\n${"9,".repeat(600_000)}9\n`);
    const job = await runTransform(transformInput("large-record", "ens", "in/large-record/", { MaxPayloadInMB: 1 }));
    expect(job.TransformJobStatus).toBe("Failed");
    expect(job.FailureReason).toBe(`ClientError: s3://${BUCKET}/in/large-record/rows.csv, line 2: the record is larger than MaxPayloadInMB (1 MB); raise MaxPayloadInMB to at least its size.`);
  });

  it("stops a running job: Stopping, then Stopped, with the objects it finished written and no others", async () => {
    await manyObjects("in/many/");
    await sagemaker.send(new CreateTransformJobCommand(transformInput("stop-me", "ens", "in/many/", { BatchStrategy: "SingleRecord" })));
    await firstOutput("out/stop-me/");
    await sagemaker.send(new StopTransformJobCommand({ TransformJobName: "stop-me" }));
    expect((await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "stop-me" }))).TransformJobStatus).toMatch(/^(Stopping|Stopped)$/);
    await waitUntilTransformJobCompletedOrStopped({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { TransformJobName: "stop-me" });
    const job = await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "stop-me" }));
    expect(job.TransformJobStatus).toBe("Stopped");
    expect(job.TransformEndTime).toBeInstanceOf(Date);
    const written = await keysUnder("out/stop-me/");
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(MANY);
    await expect(sagemaker.send(new StopTransformJobCommand({ TransformJobName: "stop-me" }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("Stopped") });
  });
});

describe("the transform API's validation and listing", () => {
  it.each<[string, Partial<CreateTransformJobCommandInput>, string, string]>([
    ["a bad job name", { TransformJobName: "bad_name" }, "ValidationException", "Value 'bad_name' at 'transformJobName' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ["no TransformInput", { TransformInput: undefined }, "ValidationException", "Value null at 'transformInput' failed to satisfy constraint: Member must not be null"],
    ["no S3OutputPath", { TransformOutput: {} as CreateTransformJobCommandInput["TransformOutput"] }, "ValidationException", "Value null at 'transformOutput.s3OutputPath'"],
    [
      "an unknown SplitType",
      { TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/in/` } }, SplitType: "Lines" as "Line" } },
      "ValidationException",
      "Value 'Lines' at 'transformInput.splitType' failed to satisfy constraint: Member must satisfy enum value set: [None, Line, RecordIO, TFRecord]",
    ],
    [
      "SplitType RecordIO",
      { TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/in/` } }, SplitType: "RecordIO" as const } },
      "ValidationException",
      "SplitType RecordIO is not supported by the local SageMaker",
    ],
    [
      "an OutputFilter with an underscore",
      { TransformOutput: { S3OutputPath: `s3://${BUCKET}/out`, Accept: "application/jsonlines" }, DataProcessing: { OutputFilter: "$['account_id','SageMakerOutput']" } },
      "ValidationException",
      `Invalid OutputFilter: "$['account_id','SageMakerOutput']". Unexpected "_" in JsonPath. Supported operators for "application/jsonlines" are ['$', '[', ']', '*', '.', ' ', ',', ':', '-', '''].`,
    ],
    ["MaxPayloadInMB over 100", { MaxPayloadInMB: 101 }, "ValidationException", "MaxPayloadInMB (101) cannot be greater than 100 MB."],
    ["an unknown model", { ModelName: "no-such-model" }, "ValidationException", `Could not find model "arn:aws:sagemaker:us-east-1:${CUSTOMER_ACCOUNT_ID}:model/no-such-model".`],
    ["a name in use", { TransformJobName: "joined" }, "ResourceInUse", "a transform job with this name already exists"],
  ])("refuses %s", async (_, overrides, name, message) => {
    await expect(sagemaker.send(new CreateTransformJobCommand({ ...transformInput("refused", "ens", "in/"), ...overrides }))).rejects.toMatchObject({ name, message: expect.stringContaining(message) });
  });

  it("fails a job whose filter AWS cannot apply, naming the path", async () => {
    const job = await runTransform(transformInput("two-ranges", "ens", "in/ids/", { DataProcessing: { InputFilter: "$[0:2,5:]" } }));
    expect(job.TransformJobStatus).toBe("Failed");
    expect(job.FailureReason).toBe(`ClientError: s3://${BUCKET}/in/ids/rows.csv: Invalid JsonPath: $[0:2,5:]: only single range filters of format (eg: [1:5]) are supported. Format [0:2,5:] is not supported`);
  });

  it("lists jobs by status and name, newest first, and answers ResourceNotFound for an unknown job", async () => {
    const listed = await sagemaker.send(new ListTransformJobsCommand({ StatusEquals: "Failed", NameContains: "a", MaxResults: 100 }));
    const names = listed.TransformJobSummaries!.map((summary) => summary.TransformJobName);
    expect(names).toEqual(expect.arrayContaining(["malformed", "readonly", "large-record"]));
    expect(names).not.toContain("joined");
    const created = listed.TransformJobSummaries!.map((summary) => summary.CreationTime!.getTime());
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(listed.TransformJobSummaries![0]!.FailureReason).toMatch(/^ClientError: /);
    const byName = await sagemaker.send(new ListTransformJobsCommand({ SortBy: "Name", SortOrder: "Ascending", MaxResults: 2 }));
    expect(byName.TransformJobSummaries!.map((summary) => summary.TransformJobName)).toEqual(["ids", "joined"]);
    expect(byName.NextToken).toBeDefined();
    await expect(sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "never-made" }))).rejects.toMatchObject({ name: "ResourceNotFound" });
  });
});

describe("a server restart", () => {
  it("runs a transform caught in the middle again from its start, to Completed, with every output written", async () => {
    await sagemaker.send(new CreateTransformJobCommand(transformInput("survives", "ens", "in/many/", { BatchStrategy: "SingleRecord" })));
    await firstOutput("out/survives/");
    const before = await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: "survives" }));
    expect(before.TransformJobStatus).toBe("InProgress");
    await aws.stop();
    aws = await startTestAws({ stateDir });
    connect();
    const job = await waitForTransformJob(sagemaker, "survives");
    expect(job.FailureReason).toBeUndefined();
    expect(job.TransformJobStatus).toBe("Completed");
    expect(job.TransformStartTime).toEqual(before.TransformStartTime);
    expect(await keysUnder("out/survives/")).toEqual(Array.from({ length: MANY }, (_, i) => `out/survives/part-${i}.csv.out`));
    const expected = await endpointLines("ens", features.slice(0, 100));
    expect((await text(`out/survives/part-${MANY - 1}.csv.out`)).split("\n").slice(0, 100)).toEqual(expected);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  CreateAutoMLJobCommand,
  CreateAutoMLJobV2Command,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeAutoMLJobCommand,
  DescribeAutoMLJobV2Command,
  DescribeEndpointCommand,
  ListAutoMLJobsCommand,
  ListCandidatesForAutoMLJobCommand,
  StopAutoMLJobCommand,
  waitUntilEndpointDeleted,
  waitUntilEndpointInService,
  type CreateAutoMLJobCommandInput,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { autopilotImage } from "../../lib/local-aws/services/sagemaker/serving/images.ts";
import { pandasSampleIndices } from "../../lib/flow/pandas-sample.ts";
import { clientsFor, startTestAws, type Credentials, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, setUpCrossAccount } from "../helpers/cross-account-fixture.ts";
import { s3For } from "../helpers/s3.ts";
import { sagemakerFor, sdkStyleContainers, waitForJob } from "../helpers/sagemaker.ts";

const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8");
const [header, ...rows] = churn.split("\n");
const { train, test } = pandasSampleIndices(rows.length, 0.8, 200);
const trainCsv = [header, ...train.map((i) => rows[i])].join("\n");
const testRows = test.map((i) => rows[i]!.split(","));

let aws: TestAws;
let role: Credentials;

beforeAll(async () => {
  aws = await startTestAws();
  const { saasUser } = await setUpCrossAccount(aws);
  const { Credentials: c } = await clientsFor(aws, saasUser).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "autopilot", ExternalId: EXTERNAL_ID }));
  role = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  const s3 = s3For(aws, role);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "autopilot/train/train_data.csv", Body: trainCsv }));
});
afterAll(() => aws.stop());

function jobInput(name: string, overrides: Partial<CreateAutoMLJobCommandInput> = {}, maxCandidates = 3): CreateAutoMLJobCommandInput {
  return {
    AutoMLJobName: name,
    InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/autopilot/train` } }, TargetAttributeName: "Churn?" }],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/autopilot/output` },
    ProblemType: "BinaryClassification",
    AutoMLJobObjective: { MetricName: "F1" },
    AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: maxCandidates } },
    RoleArn: ROLE_ARN,
    ...overrides,
  };
}

describe("the blog's flow as the assumed role", () => {
  it("trains, deploys the best candidate, predicts the test rows and cleans up", async () => {
    const { sagemaker, runtime } = sagemakerFor(aws, role);
    const name = `churn-${Date.now().toString(36)}`;
    const { AutoMLJobArn } = await sagemaker.send(new CreateAutoMLJobCommand(jobInput(name)));
    expect(AutoMLJobArn).toBe(`arn:aws:sagemaker:us-east-1:${CUSTOMER_ACCOUNT_ID}:automl-job/${name}`);

    const { job, seen } = await waitForJob(sagemaker, name);
    expect(job.FailureReason).toBeUndefined();
    expect(job.AutoMLJobStatus).toBe("Completed");
    // The churn file is far under 100 MB, so AUTO picks ENSEMBLING, as on AWS.
    expect(job.AutoMLJobConfig?.Mode).toBe("ENSEMBLING");
    expect(job.AutoMLJobSecondaryStatus).toBe("Completed");
    expect(seen.some((status) => status.endsWith("TrainingModels"))).toBe(true);
    const best = job.BestCandidate!;
    expect(best.FinalAutoMLJobObjectiveMetric).toMatchObject({ MetricName: "F1", Type: "Maximize" });
    expect(best.FinalAutoMLJobObjectiveMetric!.Value).toBeGreaterThan(0.8);
    expect(best.InferenceContainers![0]!.Environment!.SAGEMAKER_INFERENCE_SUPPORTED).toBe("predicted_label,probability,probabilities,labels");

    const candidates = await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: name, SortBy: "FinalObjectiveMetricValue", SortOrder: "Descending" }));
    expect(candidates.Candidates).toHaveLength(3);
    expect(candidates.Candidates![0]!.CandidateName).toBe(best.CandidateName);

    const containers = sdkStyleContainers(best.InferenceContainers!, ["predicted_label", "probability"]);
    await sagemaker.send(new CreateModelCommand({ ModelName: name, Containers: containers, ExecutionRoleArn: ROLE_ARN }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "main", ModelName: name, InitialInstanceCount: 1, InstanceType: "ml.m5.xlarge" }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
    expect((await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }))).EndpointStatus).toBe("Creating");
    await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: name });

    const payload = testRows.map((fields) => fields.slice(0, -1).join(",")).join("\n");
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: name, ContentType: "text/csv", Accept: "text/csv", Body: Buffer.from(payload) }));
    const lines = Buffer.from(answer.Body!).toString("utf8").trim().split("\n");
    expect(lines).toHaveLength(testRows.length);
    const predictions = lines.map((line) => line.split(","));
    // ENSEMBLING: the probability of the predicted label. Labels come from one threshold on
    // P(True.), the positive class (tuned for F1, so not necessarily one half): every row labelled
    // True. has a higher P(True.) than every row labelled False.
    expect(predictions.every(([label, probability]) => (label === "True." || label === "False.") && Number(probability) >= 0 && Number(probability) <= 1)).toBe(true);
    const positiveProbability = predictions.map(([label, probability]) => (label === "True." ? Number(probability) : 1 - Number(probability)));
    const labelled = (label: string) => positiveProbability.filter((_, i) => predictions[i]![0] === label);
    expect(Math.max(...labelled("False."))).toBeLessThan(Math.min(...labelled("True.")));
    const accuracy = predictions.filter(([label], i) => label === testRows[i]!.at(-1)).length / testRows.length;
    expect(accuracy).toBeGreaterThan(0.85);

    await expect(runtime.send(new InvokeEndpointCommand({ EndpointName: name, ContentType: "text/csv", Body: Buffer.from("1,2,3") }))).rejects.toMatchObject({ name: "ModelError", $metadata: { httpStatusCode: 424 } });
    await expect(runtime.send(new InvokeEndpointCommand({ EndpointName: "nope", ContentType: "text/csv", Body: Buffer.from("1") }))).rejects.toMatchObject({ name: "ValidationError" });

    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: name }));
    await waitUntilEndpointDeleted({ client: sagemaker, minDelay: 1, maxWaitTime: 10 }, { EndpointName: name });
    await sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name }));
    await sagemaker.send(new DeleteModelCommand({ ModelName: name }));
    const s3 = s3For(aws, role);
    const artifacts = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `autopilot/output/${name}/` }));
    const keys = artifacts.Contents!.map((c) => c.Key!);
    const notebook = job.AutoMLJobArtifacts!.DataExplorationNotebookLocation!;
    expect(notebook).toMatch(new RegExp(`^s3://${BUCKET}/autopilot/output/${name}/sagemaker-automl-candidates/.+/notebooks/SageMakerAutopilotDataExplorationNotebook.ipynb$`));
    expect(keys).toContain(notebook.replace(`s3://${BUCKET}/`, ""));
    expect(job.AutoMLJobArtifacts!.CandidateDefinitionNotebookLocation).toBeUndefined();
    const locations = best.CandidateProperties!.CandidateArtifactLocations!;
    expect(keys).toContain(`${locations.Explainability!.replace(`s3://${BUCKET}/`, "")}/analysis.json`);
    expect(keys).toContain(`${locations.ModelInsights!.replace(`s3://${BUCKET}/`, "")}/statistics.json`);
    expect(keys.filter((key) => key.endsWith("/model.json"))).toHaveLength(3);
    await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
  }, 180_000);
});

describe("jobs that cannot run", () => {
  it("fails a job whose role cannot read its input, with the reason", async () => {
    const iam = clientsFor(aws, aws.customer).iam;
    await iam.send(
      new CreateRoleCommand({
        RoleName: "blind_role",
        AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      }),
    );
    const { sagemaker } = sagemakerFor(aws, role);
    await sagemaker.send(new CreateAutoMLJobCommand(jobInput("blind", { RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/blind_role` })));
    const { job } = await waitForJob(sagemaker, "blind");
    expect(job.AutoMLJobStatus).toBe("Failed");
    expect(job.FailureReason).toMatch(/^ClientError: AccessDenied: .*assumed-role\/blind_role\/SageMaker is not authorized to perform: s3:ListBucket/);
  });

  it("denies a caller who may not pass the role", async () => {
    const iam = clientsFor(aws, aws.customer).iam;
    await iam.send(new PutRolePolicyCommand({ RoleName: "customer_trusting_saas", PolicyName: "no_pass", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:PassRole", Resource: "*" }] }) }));
    try {
      await expect(sagemakerFor(aws, role).sagemaker.send(new CreateAutoMLJobCommand(jobInput("no-pass")))).rejects.toMatchObject({
        name: "AccessDenied",
        message: expect.stringContaining("iam:PassRole"),
      });
    } finally {
      const { DeleteRolePolicyCommand } = await import("@aws-sdk/client-iam");
      await iam.send(new DeleteRolePolicyCommand({ RoleName: "customer_trusting_saas", PolicyName: "no_pass" }));
    }
  });

  it.each([
    ["a CSV without the target column", "a,b\n1,2\n", /Churn\?/],
    ["too few rows", `${header}\n${rows.slice(0, 20).join("\n")}`, /500/],
    ["one class only", `${header}\n${rows.filter((row) => row.endsWith("True.")).slice(0, 600).join("\n")}`, /single value/],
    ["an object that is not CSV", "\u0000\u0001\u0002 binary junk \"unclosed", /./],
    // Autopilot reads comma-separated UTF-8 (lib/automl/table.ts), though the engine's own CLI detects both.
    ["semicolon-separated values", churn.replaceAll(",", ";"), /not comma-separated: its lines split on ";"/],
    ["a Latin-1 file", Buffer.from(`${header}\n${rows.slice(0, 600).map((row) => row.replace(/^[A-Z]{2}/, "Genève")).join("\n")}`, "latin1"), /UnsupportedEncoding: Input object .*data\.csv is not UTF-8: line 2 holds byte 0xE8; it looks like Windows-1252 \(Latin-1\) text/],
  ])("fails a job on %s with a reason naming the problem", async (label, body, reason) => {
    const name = `bad-${label.split(" ").slice(-2).join("-").replace(/[^a-zA-Z0-9-]/g, "")}`.slice(0, 32);
    await s3For(aws, role).send(new PutObjectCommand({ Bucket: BUCKET, Key: `bad/${name}/data.csv`, Body: body }));
    const { sagemaker } = sagemakerFor(aws, role);
    await sagemaker.send(
      new CreateAutoMLJobCommand(jobInput(name, { InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/bad/${name}/` } }, TargetAttributeName: "Churn?" }] })),
    );
    const { job } = await waitForJob(sagemaker, name);
    expect(job.AutoMLJobStatus).toBe("Failed");
    expect(job.FailureReason).toMatch(/^ClientError: /);
    expect(job.FailureReason).toMatch(reason);
  });
});

describe("the API's other shapes and errors", () => {
  it("runs a tabular CreateAutoMLJobV2 job and describes it with DescribeAutoMLJobV2", async () => {
    const { sagemaker } = sagemakerFor(aws, role);
    await sagemaker.send(
      new CreateAutoMLJobV2Command({
        AutoMLJobName: "v2-job",
        AutoMLJobInputDataConfig: [{ ChannelType: "training", DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/autopilot/train` } } }],
        AutoMLProblemTypeConfig: { TabularJobConfig: { TargetAttributeName: "Churn?", CompletionCriteria: { MaxCandidates: 2 } } },
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/autopilot/v2-output` },
        RoleArn: ROLE_ARN,
      }),
    );
    await waitForJob(sagemaker, "v2-job");
    const described = await sagemaker.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: "v2-job" }));
    expect(described.AutoMLJobStatus).toBe("Completed");
    expect(described.AutoMLProblemTypeConfigName).toBe("Tabular");
    expect(described.ResolvedAttributes?.AutoMLProblemTypeResolvedAttributes?.TabularResolvedAttributes?.ProblemType).toBe("BinaryClassification");
    expect(described.ResolvedAttributes?.AutoMLJobObjective?.MetricName).toBe("F1");
    const listed = await sagemaker.send(new ListAutoMLJobsCommand({ NameContains: "v2-", StatusEquals: "Completed" }));
    expect(listed.AutoMLJobSummaries!.map((summary) => summary.AutoMLJobName)).toEqual(["v2-job"]);
  }, 120_000);

  it("validates names and answers ResourceInUse and ResourceNotFound", async () => {
    const { sagemaker } = sagemakerFor(aws, role);
    await expect(sagemaker.send(new CreateAutoMLJobCommand(jobInput("x".repeat(33))))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("autoMLJobName") });
    await expect(sagemaker.send(new CreateAutoMLJobCommand(jobInput("v2-job")))).rejects.toMatchObject({ name: "ResourceInUse" });
    await expect(sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "never-created" }))).rejects.toMatchObject({ name: "ResourceNotFound" });
    await expect(sagemaker.send(new DescribeEndpointCommand({ EndpointName: "never-created" }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      sagemaker.send(new CreateAutoMLJobCommand(jobInput("bad-criteria", { AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: 0 } } }))),
    ).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("maxCandidates") });
  });

  const brokenAlgorithm = { format: "local-autopilot-stage", formatVersion: 1, problemType: "Regression", stage: "algorithm", candidate: { name: "x" }, features: [], classes: 0, predictor: { kind: "model" } };
  it.each([
    ["an image the local AWS does not run", "some-image", "some/image", "{}", "image some/image is not one the local AWS can run"],
    ["model data that is not a model", "not-a-model", autopilotImage("us-east-1", "ensemble"), "{}", "is not a model of the local Autopilot's"],
    ["a stage whose model cannot load", "broken-stage", autopilotImage("us-east-1", "algorithm"), JSON.stringify(brokenAlgorithm), "is not a model of the local Autopilot's"],
  ])("fails an endpoint with %s, with the reason, and deletes it", async (_, name, image, body, reason) => {
    const { sagemaker } = sagemakerFor(aws, role);
    await s3For(aws, role).send(new PutObjectCommand({ Bucket: BUCKET, Key: `${name}.json`, Body: body }));
    await sagemaker.send(new CreateModelCommand({ ModelName: name, PrimaryContainer: { Image: image, ModelDataUrl: `s3://${BUCKET}/${name}.json` }, ExecutionRoleArn: ROLE_ARN }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "v", ModelName: name }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
    await expect(waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 20 }, { EndpointName: name })).rejects.toBeDefined();
    const endpoint = await sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }));
    expect(endpoint.EndpointStatus).toBe("Failed");
    expect(endpoint.FailureReason).toContain(reason);
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: name }));
    await waitUntilEndpointDeleted({ client: sagemaker, minDelay: 1, maxWaitTime: 10 }, { EndpointName: name });
  });
});

describe("stopping", () => {
  it("ends a job stopped right after it was created as Stopped, not Failed", async () => {
    const { sagemaker } = sagemakerFor(aws, role);
    await sagemaker.send(new CreateAutoMLJobCommand(jobInput("stop-at-once", {}, 50)));
    await sagemaker.send(new StopAutoMLJobCommand({ AutoMLJobName: "stop-at-once" }));
    const { job } = await waitForJob(sagemaker, "stop-at-once");
    expect(job.AutoMLJobStatus).toBe("Stopped");
    expect(job.FailureReason).toBeUndefined();
  }, 120_000);

  it("stops a running job, keeping its best candidate so far", async () => {
    const { sagemaker } = sagemakerFor(aws, role);
    // HPO candidates are listed as they finish (an ensembling job's trials only at its end).
    await sagemaker.send(new CreateAutoMLJobCommand(jobInput("stop-me", { AutoMLJobConfig: { Mode: "HYPERPARAMETER_TUNING", CompletionCriteria: { MaxCandidates: 50 } } })));
    const deadline = Date.now() + 60_000;
    while ((await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: "stop-me" }))).Candidates!.length === 0) {
      if (Date.now() > deadline) throw new Error("no candidate finished within a minute");
      await new Promise((wait) => setTimeout(wait, 200));
    }
    await sagemaker.send(new StopAutoMLJobCommand({ AutoMLJobName: "stop-me" }));
    const { job, seen } = await waitForJob(sagemaker, "stop-me");
    expect(seen, seen.join(" → ")).toContain("Stopping/Stopping");
    expect(job.AutoMLJobStatus).toBe("Stopped");
    expect(job.BestCandidate?.CandidateName).toBeDefined();
  }, 120_000);
});

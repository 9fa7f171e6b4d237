import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeAutoMLJobCommand,
  DescribeEndpointCommand,
  ListCandidatesForAutoMLJobCommand,
  waitUntilEndpointDeleted,
  waitUntilEndpointInService,
  type AutoMLCandidate,
  type CreateAutoMLJobCommandInput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { binaryCsv, multiclassCsv, regressionCsv } from "../automl/fixtures.ts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, setUpCrossAccount } from "../helpers/cross-account-fixture.ts";
import { s3For } from "../helpers/s3.ts";
import { sagemakerFor, sdkStyleContainers, waitForJob, type InferenceContainer } from "../helpers/sagemaker.ts";

const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
/** AUTO's line for these tests: the 700-row tables fall below it, the 1,600-row one above. */
const ENSEMBLING_MAX_BYTES = 40_000;

type Problem = "binary" | "multiclass" | "regression";
type Mode = "ENSEMBLING" | "HYPERPARAMETER_TUNING";

const DATA: Record<Problem, { train: string; holdout: string; target: string }> = {
  binary: { train: binaryCsv(700), holdout: binaryCsv(80, 91), target: "churned" },
  multiclass: { train: multiclassCsv(700), holdout: multiclassCsv(80, 92), target: "species" },
  regression: { train: regressionCsv(700), holdout: regressionCsv(80, 93), target: "y" },
};
const MODES: Mode[] = ["ENSEMBLING", "HYPERPARAMETER_TUNING"];
const PROBLEMS: Problem[] = ["binary", "multiclass", "regression"];
const jobName = (problem: Problem, mode: Mode) => `${problem}-${mode === "ENSEMBLING" ? "ens" : "hpo"}`;

/** Holdout rows without their target (the last column), and their true targets. */
function holdout(problem: Problem): { payload: string; truth: string[] } {
  const rows = DATA[problem].holdout.split("\n").slice(1).map((line) => line.split(","));
  return { payload: rows.map((fields) => fields.slice(0, -1).join(",")).join("\n"), truth: rows.map((fields) => fields.at(-1)!) };
}

let aws: TestAws;
let sagemaker: SageMakerClient;
let runtime: SageMakerRuntimeClient;
let s3: S3Client;

function jobInput(name: string, dataKey: string, target: string, config: CreateAutoMLJobCommandInput["AutoMLJobConfig"]): CreateAutoMLJobCommandInput {
  return {
    AutoMLJobName: name,
    InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/${dataKey}` } }, TargetAttributeName: target }],
    OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
    AutoMLJobConfig: config,
    RoleArn: ROLE_ARN,
  };
}

beforeAll(async () => {
  aws = await startTestAws({ config: { autopilotEnsemblingMaxBytes: ENSEMBLING_MAX_BYTES } });
  const { saasUser } = await setUpCrossAccount(aws);
  const { Credentials: c } = await clientsFor(aws, saasUser).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "modes", ExternalId: EXTERNAL_ID }));
  const role = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  ({ sagemaker, runtime } = sagemakerFor(aws, role));
  s3 = s3For(aws, role);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const problem of PROBLEMS) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `data/${problem}/train.csv`, Body: DATA[problem].train }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "data/large/train.csv", Body: binaryCsv(1600) }));
  // Every job starts now and trains while the tests look at the ones that ended.
  for (const problem of PROBLEMS) {
    for (const mode of MODES) {
      await sagemaker.send(new CreateAutoMLJobCommand(jobInput(jobName(problem, mode), `data/${problem}`, DATA[problem].target, { Mode: mode, CompletionCriteria: { MaxCandidates: 2 } })));
    }
  }
  await sagemaker.send(new CreateAutoMLJobCommand(jobInput("auto-small", "data/binary", "churned", { CompletionCriteria: { MaxCandidates: 1 } })));
  await sagemaker.send(new CreateAutoMLJobCommand(jobInput("auto-large", "data/large", "churned", { Mode: "AUTO", CompletionCriteria: { MaxCandidates: 1 } })));
}, 60_000);
afterAll(() => aws.stop());

async function bestCandidate(name: string): Promise<AutoMLCandidate> {
  const { job } = await waitForJob(sagemaker, name, 240_000);
  expect(job.FailureReason).toBeUndefined();
  expect(job.AutoMLJobStatus).toBe("Completed");
  return job.BestCandidate!;
}

async function readJson(uri: string): Promise<Record<string, unknown>> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await Body!.transformToString()) as Record<string, unknown>;
}

/** CreateModel, CreateEndpointConfig, CreateEndpoint, and a wait for InService. */
async function deploy(name: string, containers: InferenceContainer[]): Promise<void> {
  await sagemaker.send(new CreateModelCommand({ ModelName: name, Containers: containers, ExecutionRoleArn: ROLE_ARN }));
  await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "AllTraffic", ModelName: name, InitialInstanceCount: 1, InstanceType: "ml.m5.large" }] }));
  await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: name });
}

async function invoke(endpoint: string, body: string, accept: string): Promise<string> {
  const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: "text/csv", Accept: accept, Body: Buffer.from(body) }));
  expect(answer.ContentType).toBe(accept);
  return Buffer.from(answer.Body!).toString("utf8");
}

interface JsonPrediction {
  predicted_label: string;
  probability?: number;
  probabilities?: number[];
  labels?: string[];
}

const CLASSIFICATION_KEYS = ["predicted_label", "probability", "probabilities", "labels"];

describe.each(MODES)("%s mode", (mode) => {
  it.each(PROBLEMS)("hands out the containers AWS documents for %s problems, and the SDK's deploy answers what the mode means", async (problem) => {
    const name = jobName(problem, mode);
    const best = await bestCandidate(name);
    const described = await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: name }));
    expect(described.AutoMLJobConfig?.Mode).toBe(mode);
    expect(described.AutoMLJobSecondaryStatus).toBe(mode === "ENSEMBLING" ? "Completed" : "MaxCandidatesReached");

    const { Candidates = [] } = await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: name, MaxResults: 300 }));
    expect(Candidates).toHaveLength(2);
    for (const candidate of Candidates) {
      if (mode === "ENSEMBLING") expect(candidate.CandidateName).toMatch(new RegExp(`^WeightedEnsemble-L2-FULL-t[12]-${name}$`));
      else expect(candidate.CandidateName).toMatch(new RegExp(`^${name}[0-9a-f]{6}-00[12]-[0-9a-f]{8}$`));
      expect(candidate.CandidateSteps!.at(-1)!.CandidateStepName).toBe(candidate.CandidateName);
    }

    const containers = best.InferenceContainers!;
    const regression = problem === "regression";
    if (mode === "ENSEMBLING") {
      expect(containers).toHaveLength(1);
      expect(containers[0]!.Environment!.SAGEMAKER_INFERENCE_SUPPORTED).toBe(regression ? "predicted_label" : "predicted_label,probability,probabilities,labels");
      expect(await readJson(containers[0]!.ModelDataUrl!)).toMatchObject({ format: "local-autopilot-model" });
    } else {
      expect(containers).toHaveLength(regression ? 2 : 3);
      expect(containers.map((container) => container.Environment!.AUTOML_TRANSFORM_MODE)).toEqual(regression ? ["feature-transform", undefined] : ["feature-transform", undefined, "inverse-label-transform"]);
      expect(containers[0]!.Environment!.SAGEMAKER_INFERENCE_SUPPORTED).toBeUndefined();
      expect(containers[1]!.Environment!.SAGEMAKER_INFERENCE_SUPPORTED).toBe(regression ? "predicted_label" : "predicted_label,probability,probabilities");
      if (!regression) {
        expect(containers[2]!.Environment).toMatchObject({ SAGEMAKER_INFERENCE_INPUT: "predicted_label", SAGEMAKER_INFERENCE_SUPPORTED: "predicted_label,probability,labels,probabilities" });
        expect(containers[2]!.ModelDataUrl).toBe(containers[0]!.ModelDataUrl);
      }
      expect(await readJson(containers[0]!.ModelDataUrl!)).toMatchObject({ format: "local-autopilot-stage", stage: "data-processor" });
      expect(await readJson(containers[1]!.ModelDataUrl!)).toMatchObject({ format: "local-autopilot-stage", stage: "algorithm" });
    }

    const keys = regression ? ["predicted_label"] : CLASSIFICATION_KEYS;
    await deploy(name, sdkStyleContainers(containers, keys));
    const { payload, truth } = holdout(problem);
    const predictions = (JSON.parse(await invoke(name, payload, "application/json")) as { predictions: JsonPrediction[] }).predictions;
    expect(predictions).toHaveLength(truth.length);
    if (regression) {
      const squares = predictions.map((p, i) => (Number(p.predicted_label) - Number(truth[i])) ** 2);
      expect(Math.sqrt(squares.reduce((a, b) => a + b, 0) / squares.length)).toBeLessThan(1);
    } else {
      const accuracy = predictions.filter((p, i) => p.predicted_label === truth[i]).length / truth.length;
      expect(accuracy).toBeGreaterThan(0.8);
      for (const p of predictions) {
        expect(Object.keys(p)).toEqual(CLASSIFICATION_KEYS);
        const predictedIndex = p.labels!.indexOf(p.predicted_label);
        expect(predictedIndex).toBeGreaterThanOrEqual(0);
        // ENSEMBLING: the probability of predicted_label, for every problem. HPO: of the true
        // (second, positive) class for binary problems, of predicted_label for multiclass ones.
        const meant = mode === "HYPERPARAMETER_TUNING" && problem === "binary" ? p.probabilities![1]! : p.probabilities![predictedIndex]!;
        expect(p.probability).toBe(meant);
        if (mode === "ENSEMBLING") expect(p.probability).toBeGreaterThanOrEqual(problem === "binary" ? 0.5 : 1 / p.labels!.length);
      }
      if (mode === "HYPERPARAMETER_TUNING" && problem === "binary") expect(predictions.some((p) => p.probability! < 0.5)).toBe(true);
    }
    const csv = (await invoke(name, payload, "text/csv")).trimEnd().split("\n");
    expect(csv).toHaveLength(truth.length);
    expect(csv[0]!.split(",")[0]).toBe(String(predictions[0]!.predicted_label));

    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: name }));
    await waitUntilEndpointDeleted({ client: sagemaker, minDelay: 1, maxWaitTime: 20 }, { EndpointName: name });
  }, 300_000);
});

describe("an HPO pipeline deployed without the SDK's chaining", () => {
  it("answers as the real containers would: an error, or the keys each container was really told to give", async () => {
    const containers = (await bestCandidate("binary-hpo")).InferenceContainers!;
    const { payload } = holdout("binary");
    const withOutput = (container: InferenceContainer, output: string) => ({ ...container, Environment: { ...container.Environment, SAGEMAKER_INFERENCE_OUTPUT: output } });

    // SAGEMAKER_INFERENCE_OUTPUT on every container: the inverse label transform still reads one field.
    await deploy("naive-every", containers.map((container) => withOutput(container, "predicted_label,probability")));
    await expect(invoke("naive-every", payload, "text/csv")).rejects.toMatchObject({
      name: "ModelError",
      $metadata: { httpStatusCode: 424 },
      message: expect.stringMatching(/from container-3 .*2 fields but SAGEMAKER_INFERENCE_INPUT=predicted_label names 1/),
    });

    // Only on the last container: the algorithm gives labels only, so probability comes back NaN.
    await deploy("naive-last", [containers[0]!, containers[1]!, withOutput(containers[2]!, "predicted_label,probability")]);
    const lines = (await invoke("naive-last", payload, "text/csv")).trimEnd().split("\n");
    expect(lines.every((line) => /^(yes|no),nan$/.test(line))).toBe(true);

    // As Autopilot hands them out: predicted_label alone.
    await deploy("as-handed-out", containers);
    expect((await invoke("as-handed-out", payload, "text/csv")).trimEnd().split("\n").every((line) => line === "yes" || line === "no")).toBe(true);

    // A feature that is not a value (here a list nested 100,000 deep) is the caller's error, not the server's.
    const nested = `{"instances":[{"features":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}]}`;
    const refused = runtime.send(new InvokeEndpointCommand({ EndpointName: "as-handed-out", ContentType: "application/json", Body: Buffer.from(nested) }));
    await expect(refused).rejects.toMatchObject({ name: "ModelError", message: expect.stringContaining("not a list or an object") });
  }, 300_000);
});

describe("AUTO", () => {
  it("picks ENSEMBLING below the size line and HYPERPARAMETER_TUNING from it", async () => {
    const small = await bestCandidate("auto-small");
    const large = await bestCandidate("auto-large");
    expect(small.InferenceContainers).toHaveLength(1);
    expect(large.InferenceContainers).toHaveLength(3);
    expect((await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "auto-small" }))).AutoMLJobConfig?.Mode).toBe("ENSEMBLING");
    expect((await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "auto-large" }))).AutoMLJobConfig?.Mode).toBe("HYPERPARAMETER_TUNING");
  }, 300_000);
});

describe("candidates, validation and endpoints as the service model and AWS describe them", () => {
  it("lists HPO candidates that the search stopped early as Stopped, with the reason", async () => {
    await sagemaker.send(new CreateAutoMLJobCommand(jobInput("hpo-many", "data/binary", "churned", { Mode: "HYPERPARAMETER_TUNING", CompletionCriteria: { MaxCandidates: 8 } })));
    await bestCandidate("hpo-many");
    const { Candidates = [] } = await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: "hpo-many", MaxResults: 300 }));
    expect(Candidates).toHaveLength(8);
    const stopped = Candidates.filter((candidate) => candidate.CandidateStatus === "Stopped");
    expect(stopped.length).toBeGreaterThan(0);
    for (const candidate of stopped) {
      expect(candidate.FailureReason).toMatch(/stopped early/);
      expect(candidate.InferenceContainers).toEqual([]);
      expect(candidate.FinalAutoMLJobObjectiveMetric).toBeUndefined();
    }
    for (const candidate of Candidates.filter((c) => c.CandidateStatus === "Completed")) {
      const metrics = candidate.CandidateProperties!.CandidateMetrics!;
      expect(metrics.find((metric) => metric.StandardMetricName === "LogLoss")?.MetricName).toBeUndefined();
      expect(metrics.find((metric) => metric.StandardMetricName === "F1")?.MetricName).toBe("F1");
    }
  }, 300_000);

  it("validates Mode, the objective against the service model's enum, and MaxResults up to 300", async () => {
    const refused = (input: CreateAutoMLJobCommandInput, member: RegExp) => expect(sagemaker.send(new CreateAutoMLJobCommand(input))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringMatching(member) });
    await refused(jobInput("bad-mode", "data/binary", "churned", { Mode: "FAST" as never }), /autoMLJobConfig\.mode/);
    await refused({ ...jobInput("bad-metric", "data/binary", "churned", {}), AutoMLJobObjective: { MetricName: "LogLoss" as never } }, /autoMLJobObjective\.metricName/);
    await refused({ ...jobInput("forecast-metric", "data/binary", "churned", {}), AutoMLJobObjective: { MetricName: "MAPE" } }, /time-series forecasting/);
    await expect(sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: "binary-ens", MaxResults: 301 }))).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("refuses to delete an endpoint that is Creating, and shows Deleting before it is gone", async () => {
    const containers = (await bestCandidate("binary-ens")).InferenceContainers!;
    await sagemaker.send(new CreateModelCommand({ ModelName: "lifecycle", Containers: containers, ExecutionRoleArn: ROLE_ARN }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "lifecycle", ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "lifecycle" }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: "lifecycle", EndpointConfigName: "lifecycle" }));
    await expect(sagemaker.send(new DeleteEndpointCommand({ EndpointName: "lifecycle" }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("Cannot update in-progress endpoint") });
    await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: "lifecycle" });
    await sagemaker.send(new DeleteEndpointCommand({ EndpointName: "lifecycle" }));
    expect((await sagemaker.send(new DescribeEndpointCommand({ EndpointName: "lifecycle" }))).EndpointStatus).toBe("Deleting");
    await expect(invoke("lifecycle", holdout("binary").payload, "text/csv")).rejects.toMatchObject({ name: "ValidationError" });
    await waitUntilEndpointDeleted({ client: sagemaker, minDelay: 1, maxWaitTime: 20 }, { EndpointName: "lifecycle" });
    await expect(sagemaker.send(new DescribeEndpointCommand({ EndpointName: "lifecycle" }))).rejects.toMatchObject({ name: "ValidationException" });
  }, 300_000);
});

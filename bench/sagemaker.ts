import { readFileSync } from "node:fs";
import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeAutoMLJobCommand,
  SageMakerClient,
  waitUntilEndpointInService,
  type AutoMLCandidate,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { joinStages, parseStageArtifact, runAutoML } from "../lib/automl/index.ts";
import { ENGINE_ENSEMBLING, type TrainingMode } from "../lib/local-aws/services/sagemaker/autopilot-modes.ts";
import { autopilotImage } from "../lib/local-aws/services/sagemaker/serving/images.ts";
import { throughput } from "./measure.ts";
import { benchTransform } from "./transform.ts";
import { spawnLocalAws } from "./server-process.ts";

const BUCKET = "sagemaker-us-east-1-111111111111";
const ROLE_ARN = "arn:aws:iam::111111111111:role/bench_autopilot";
const CANDIDATES = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latencies(call: () => Promise<unknown>, count: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

type Mode = TrainingMode;

/**
 * Autopilot jobs on the churn data through the local SageMaker, one per mode, against the engine
 * alone; endpoint latency of each mode's best candidate; and the inference pipeline's overhead:
 * the HPO candidate served as its three containers against the same model in one container.
 */
export async function benchSageMaker(): Promise<void> {
  const csv = readFileSync("data/churn.txt", "utf8");
  const engineSeconds: Record<Mode, number> = { ENSEMBLING: 0, HYPERPARAMETER_TUNING: 0 };
  for (const mode of ["ENSEMBLING", "HYPERPARAMETER_TUNING"] as const) {
    const started = performance.now();
    await runAutoML({ csv, target: "Churn?", maxCandidates: CANDIDATES, ensembling: ENGINE_ENSEMBLING[mode], seed: 0 });
    engineSeconds[mode] = (performance.now() - started) / 1000;
  }

  const server = await spawnLocalAws();
  try {
    const common = { endpoint: server.endpoint, region: "us-east-1", credentials: server.credentials("customer_config") };
    const iam = new IAMClient(common);
    for (const policy of ["AmazonSageMakerFullAccess", "AmazonS3FullAccess"]) {
      await iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
    }
    await iam.send(
      new CreateRoleCommand({
        RoleName: "bench_autopilot",
        AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: "bench_autopilot", PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" }));
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "bench/train/churn.csv", Body: csv }));
    const sagemaker = new SageMakerClient(common);
    const runtime = new SageMakerRuntimeClient(common);

    const jobs: Record<string, unknown> = {};
    const best: Partial<Record<Mode, AutoMLCandidate>> = {};
    for (const mode of ["ENSEMBLING", "HYPERPARAMETER_TUNING"] as const) {
      const { seconds, candidate } = await runJob(sagemaker, `bench-${mode === "ENSEMBLING" ? "ens" : "hpo"}`, mode);
      best[mode] = candidate;
      jobs[mode] = {
        candidates: CANDIDATES,
        createToCompletedSeconds: +seconds.toFixed(1),
        engineAloneSeconds: +engineSeconds[mode].toFixed(1),
        serviceOverheadRatio: +(seconds / engineSeconds[mode]).toFixed(2),
        bestF1: candidate.FinalAutoMLJobObjectiveMetric!.Value,
        containers: candidate.InferenceContainers!.length,
      };
    }

    const rows = csv.split("\n").slice(1).map((line) => line.slice(0, line.lastIndexOf(",")));
    const measure = async (endpoint: string, containers: ContainerDefinition[]) => {
      await deploy(sagemaker, endpoint, containers);
      const invoke = (body: string) => () => runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: "text/csv", Body: Buffer.from(body) }));
      const one = await latencies(invoke(rows[0]!), 200);
      const thousand = await latencies(invoke(rows.slice(0, 1000).join("\n")), 50);
      const { perSecond } = await throughput(invoke(rows[0]!), { seconds: 3, concurrency: 8 });
      return { oneRowMs: { p50: +one.p50.toFixed(1), p99: +one.p99.toFixed(1) }, thousandRowsMs: { p50: +thousand.p50.toFixed(1), p99: +thousand.p99.toFixed(1) }, oneRowRequestsPerSecond: Math.round(perSecond) };
    };
    const hpoContainers = best.HYPERPARAMETER_TUNING!.InferenceContainers!;
    const endpoints = {
      ensemblingBest: await measure("bench-ens", best.ENSEMBLING!.InferenceContainers!),
      hpoPipeline: await measure("bench-hpo-pipeline", hpoContainers),
      hpoInOneContainer: await measure("bench-hpo-single", [await joinedContainer(s3, hpoContainers)]),
    };
    const pipelineOverhead = {
      oneRowP50Ratio: +(endpoints.hpoPipeline.oneRowMs.p50 / endpoints.hpoInOneContainer.oneRowMs.p50).toFixed(2),
      thousandRowsP50Ratio: +(endpoints.hpoPipeline.thousandRowsMs.p50 / endpoints.hpoInOneContainer.thousandRowsMs.p50).toFixed(2),
    };
    const transform = await benchTransform({ server, s3, sagemaker, runtime, bucket: BUCKET, model: "bench-ens", endpoint: "bench-ens", rows });
    console.log(JSON.stringify({ sagemaker: { jobs, endpoints, pipelineOverhead, transform } }, null, 2));
  } finally {
    server.stop();
  }
}

type ContainerDefinition = NonNullable<AutoMLCandidate["InferenceContainers"]>[number];

async function runJob(sagemaker: SageMakerClient, name: string, mode: Mode): Promise<{ seconds: number; candidate: AutoMLCandidate }> {
  const started = performance.now();
  await sagemaker.send(
    new CreateAutoMLJobCommand({
      AutoMLJobName: name,
      InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/bench/train` } }, TargetAttributeName: "Churn?" }],
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/bench/output` },
      AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: CANDIDATES }, Mode: mode },
      RoleArn: ROLE_ARN,
    }),
  );
  let job = await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: name }));
  while (job.AutoMLJobStatus === "InProgress") {
    await new Promise((wait) => setTimeout(wait, 100));
    job = await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: name }));
  }
  if (job.AutoMLJobStatus !== "Completed") throw new Error(`bench job ${name} ended ${job.AutoMLJobStatus}: ${job.FailureReason}`);
  return { seconds: (performance.now() - started) / 1000, candidate: job.BestCandidate! };
}

async function deploy(sagemaker: SageMakerClient, name: string, containers: ContainerDefinition[]): Promise<void> {
  await sagemaker.send(new CreateModelCommand({ ModelName: name, Containers: containers, ExecutionRoleArn: ROLE_ARN }));
  await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: "main", ModelName: name }] }));
  await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: name });
}

/** The HPO candidate's data processor and algorithm joined into one model, served by the single-container image. */
async function joinedContainer(s3: S3Client, containers: ContainerDefinition[]): Promise<ContainerDefinition> {
  const read = async (uri: string) => {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return parseStageArtifact(await Body!.transformToString());
  };
  const [processor, algorithm] = [await read(containers[0]!.ModelDataUrl!), await read(containers[1]!.ModelDataUrl!)];
  if (processor.stage !== "data-processor" || algorithm.stage !== "algorithm") throw new Error("the HPO candidate's first two containers are not its data processor and algorithm");
  const key = "bench/joined/model.json";
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(joinStages(processor, algorithm)) }));
  return { Image: autopilotImage("us-east-1", "ensemble"), ModelDataUrl: `s3://${BUCKET}/${key}` };
}

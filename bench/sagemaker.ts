import { readFileSync } from "node:fs";
import { AttachRolePolicyCommand, AttachUserPolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateAutoMLJobCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeAutoMLJobCommand,
  SageMakerClient,
  waitUntilEndpointInService,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { runAutoML } from "../lib/automl/index.ts";
import { throughput } from "./measure.ts";
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

/** An Autopilot job on the churn data through the local SageMaker against the engine alone, and endpoint latency. */
export async function benchSageMaker(): Promise<void> {
  const csv = readFileSync("data/churn.txt", "utf8");
  const engineStarted = performance.now();
  await runAutoML({ csv, target: "Churn?", maxCandidates: CANDIDATES, seed: 0 });
  const engineSeconds = (performance.now() - engineStarted) / 1000;

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
    const jobStarted = performance.now();
    await sagemaker.send(
      new CreateAutoMLJobCommand({
        AutoMLJobName: "bench-job",
        InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/bench/train` } }, TargetAttributeName: "Churn?" }],
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/bench/output` },
        AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: CANDIDATES } },
        RoleArn: ROLE_ARN,
      }),
    );
    let job = await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "bench-job" }));
    while (job.AutoMLJobStatus === "InProgress") {
      await new Promise((wait) => setTimeout(wait, 100));
      job = await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: "bench-job" }));
    }
    const jobSeconds = (performance.now() - jobStarted) / 1000;
    if (job.AutoMLJobStatus !== "Completed") throw new Error(`bench job ended ${job.AutoMLJobStatus}: ${job.FailureReason}`);

    await sagemaker.send(new CreateModelCommand({ ModelName: "bench-model", Containers: job.BestCandidate!.InferenceContainers, ExecutionRoleArn: ROLE_ARN }));
    await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: "bench-config", ProductionVariants: [{ VariantName: "main", ModelName: "bench-model" }] }));
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: "bench-endpoint", EndpointConfigName: "bench-config" }));
    await waitUntilEndpointInService({ client: sagemaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { EndpointName: "bench-endpoint" });

    const runtime = new SageMakerRuntimeClient(common);
    const rows = csv.split("\n").slice(1).map((line) => line.slice(0, line.lastIndexOf(",")));
    const invoke = (body: string) => () => runtime.send(new InvokeEndpointCommand({ EndpointName: "bench-endpoint", ContentType: "text/csv", Body: Buffer.from(body) }));
    const one = await latencies(invoke(rows[0]!), 200);
    const thousand = await latencies(invoke(rows.slice(0, 1000).join("\n")), 50);
    const { perSecond } = await throughput(invoke(rows[0]!), { seconds: 3, concurrency: 8 });
    console.log(
      JSON.stringify(
        {
          sagemaker: {
            job: { candidates: CANDIDATES, createToCompletedSeconds: +jobSeconds.toFixed(1), engineAloneSeconds: +engineSeconds.toFixed(1), serviceOverheadRatio: +(jobSeconds / engineSeconds).toFixed(2), bestF1: job.BestCandidate!.FinalAutoMLJobObjectiveMetric!.Value },
            endpoint: {
              oneRowMs: { p50: +one.p50.toFixed(1), p99: +one.p99.toFixed(1) },
              thousandRowsMs: { p50: +thousand.p50.toFixed(1), p99: +thousand.p99.toFixed(1) },
              oneRowRequestsPerSecond: Math.round(perSecond),
            },
          },
        },
        null,
        2,
      ),
    );
  } finally {
    server.stop();
  }
}

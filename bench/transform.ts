import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { CreateTransformJobCommand, DescribeTransformJobCommand, type SageMakerClient } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { residentBytes } from "./server-process.ts";

const MB = 1024 * 1024;

export interface TransformBench {
  server: { pid: number };
  s3: S3Client;
  sagemaker: SageMakerClient;
  runtime: SageMakerRuntimeClient;
  bucket: string;
  /** A model, and an endpoint serving it, of the churn data. */
  model: string;
  endpoint: string;
  /** Churn rows without header and target. */
  rows: string[];
}

/** Rows repeated to at least `bytes` of CSV. */
function input(rows: string[], bytes: number): string[] {
  const perCopy = rows.reduce((total, row) => total + row.length + 1, 0);
  return Array.from({ length: Math.ceil(bytes / perCopy) }, () => rows).flat();
}

/** Runs a transform job over one object of `lines`; its rows per second and the server's peak resident memory meanwhile. */
async function transformJob(bench: TransformBench, name: string, lines: string[], joinInput: boolean) {
  const key = `bench/transform/${name}/rows.csv`;
  await bench.s3.send(new PutObjectCommand({ Bucket: bench.bucket, Key: key, Body: lines.join("\n") + "\n" }));
  // The upload's garbage collected first, so the growth measured is the job's.
  await new Promise((wait) => setTimeout(wait, 2000));
  const idle = residentBytes(bench.server.pid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(bench.server.pid))), 20);
  const started = performance.now();
  try {
    await bench.sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: name,
        ModelName: bench.model,
        TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bench.bucket}/${key}` } }, ContentType: "text/csv", SplitType: "Line" },
        TransformOutput: { S3OutputPath: `s3://${bench.bucket}/bench/transform-output/${name}`, Accept: "text/csv", AssembleWith: "Line" },
        TransformResources: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
        BatchStrategy: "MultiRecord",
        ...(joinInput ? { DataProcessing: { JoinSource: "Input" } } : {}),
      }),
    );
    let job = await bench.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    while (job.TransformJobStatus === "InProgress") {
      await new Promise((wait) => setTimeout(wait, 50));
      job = await bench.sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    }
    if (job.TransformJobStatus !== "Completed") throw new Error(`bench transform ${name} ended ${job.TransformJobStatus}: ${job.FailureReason}`);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows: lines.length, inputMB: +(lines.join("\n").length / MB).toFixed(1), seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(lines.length / seconds), serverRssGrowthMB: +((peak - idle) / MB).toFixed(0) };
}

/** The same rows through InvokeEndpoint, `batchRows` a call, one call at a time. */
async function endpointPath(bench: TransformBench, lines: string[], batchRows: number) {
  const started = performance.now();
  for (let at = 0; at < lines.length; at += batchRows) {
    const body = Buffer.from(lines.slice(at, at + batchRows).join("\n"));
    await bench.runtime.send(new InvokeEndpointCommand({ EndpointName: bench.endpoint, ContentType: "text/csv", Accept: "text/csv", Body: body }));
  }
  const seconds = (performance.now() - started) / 1000;
  return { batchRows, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(lines.length / seconds) };
}

/**
 * Batch transform against the endpoint path on the same rows (a 50 MB object), and the server's
 * memory on a 5 MB and a 50 MB input: streamed, its growth should not follow the input's size.
 */
export async function benchTransform(bench: TransformBench) {
  const large = input(bench.rows, 50 * MB);
  const small = input(bench.rows, 5 * MB);
  // The first job starts the server's transform worker thread (kept for the next jobs) and warms its code, as the endpoint's is by now.
  await transformJob(bench, "bench-transform-warm-up", small, false);
  const transform5 = await transformJob(bench, "bench-transform-5mb", small, false);
  const transform50 = await transformJob(bench, "bench-transform-50mb", large, false);
  const joined50 = await transformJob(bench, "bench-transform-50mb-joined", large, true);
  const endpoint1000 = await endpointPath(bench, large, 1000);
  const endpoint25000 = await endpointPath(bench, large, 25_000);
  return {
    transform50MB: transform50,
    transform50MBJoinSourceInput: joined50,
    transform5MB: transform5,
    endpointInBatchesOf1000Rows: endpoint1000,
    endpointInBatchesOf25000Rows: endpoint25000,
    transformVsEndpointRowsPerSecondRatio: {
      vs1000RowBatches: +(transform50.rowsPerSecond / endpoint1000.rowsPerSecond).toFixed(2),
      vs25000RowBatches: +(transform50.rowsPerSecond / endpoint25000.rowsPerSecond).toFixed(2),
    },
    serverRssGrowth50MBOver5MBRatio: +(transform50.serverRssGrowthMB / Math.max(1, transform5.serverRssGrowthMB)).toFixed(2),
  };
}

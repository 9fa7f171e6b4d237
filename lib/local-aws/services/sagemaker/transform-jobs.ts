import { AwsError } from "../../errors.ts";
import { lowerFirst } from "../input.ts";
import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { parseS3Uri } from "../s3/service-access.ts";
import { deployContext } from "./context.ts";
import { invalid, missing, NAME_CONTAINS, objectField, optionalEnum, optionalInteger, optionalString, requiredEnum, requiredString, RESOURCE_NAME, S3_URI, tags } from "./input.ts";
import { unexpectedCharacter, unexpectedCharacterMessage } from "./jsonpath-filter.ts";
import { paginate, sortOrder } from "./pagination.ts";
import { inRegion, modelNamed, sagemakerArn, sagemakerTable, type JobStatus } from "./state.ts";
import { DEFAULT_MAX_PAYLOAD_MB, startTransform } from "./transform-runner.ts";
import { findTransformJob, transformJobsIn, updateTransformJob, type TransformJobRecord } from "./transform-state.ts";

/*
 * CreateTransformJob, DescribeTransformJob, ListTransformJobs and StopTransformJob, as the API
 * reference (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html)
 * and the service model define their members; the jobs run in transform-runner.ts.
 */

const MODEL_NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const KMS_KEY = /^[a-zA-Z0-9:/_-]{0,2048}$/;
const MEDIA_TYPE = /^.{0,256}$/s;
const EXPERIMENT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$/;
const ENVIRONMENT_KEY = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;
const STATUSES: readonly JobStatus[] = ["InProgress", "Completed", "Failed", "Stopping", "Stopped"];
/** "The value of MaxPayloadInMB cannot be greater than 100 MB", also times MaxConcurrentTransforms (CreateTransformJob). */
const MAX_PAYLOAD_TOTAL_MB = 100;

const arnOf = (ctx: OperationContext, name: string) => sagemakerArn(ctx.region, ctx.principal.accountId, "transform-job", name);

function requiredObject(input: Record<string, unknown>, name: string, path: string): Record<string, unknown> {
  const value = objectField(input, name, path);
  if (!value) throw missing(path);
  return value;
}

function transformInput(input: OperationInput): TransformJobRecord["TransformInput"] {
  const spec = requiredObject(input, "TransformInput", "transformInput");
  const source = requiredObject(requiredObject(spec, "DataSource", "transformInput.dataSource"), "S3DataSource", "transformInput.dataSource.s3DataSource");
  const dataType = requiredEnum(source, "S3DataType", ["ManifestFile", "S3Prefix", "AugmentedManifestFile", "Converse"] as const, "transformInput.dataSource.s3DataSource.s3DataType");
  if (dataType !== "S3Prefix" && dataType !== "ManifestFile") throw invalid(`S3DataType ${dataType} is not supported by the local SageMaker's batch transform; use S3Prefix or ManifestFile.`);
  const uri = requiredString(source, "S3Uri", S3_URI, "transformInput.dataSource.s3DataSource.s3Uri");
  parseS3Uri(uri);
  const splitType = optionalEnum(spec, "SplitType", ["None", "Line", "RecordIO", "TFRecord"] as const, "transformInput.splitType") ?? "None";
  if (splitType !== "None" && splitType !== "Line") throw invalid(`SplitType ${splitType} is not supported by the local SageMaker: its models read text records (CSV or JSON); use Line or None.`);
  const contentType = optionalString(spec, "ContentType", MEDIA_TYPE, "transformInput.contentType");
  return {
    DataSource: { S3DataSource: { S3DataType: dataType, S3Uri: uri } },
    ...(contentType !== undefined ? { ContentType: contentType } : {}),
    CompressionType: optionalEnum(spec, "CompressionType", ["None", "Gzip"] as const, "transformInput.compressionType") ?? "None",
    SplitType: splitType,
  };
}

/** KmsKeyId is kept and described back, and has no effect: the local AWS has no KMS, and keeps its objects unencrypted. */
function transformOutput(input: OperationInput): TransformJobRecord["TransformOutput"] {
  const spec = requiredObject(input, "TransformOutput", "transformOutput");
  const path = requiredString(spec, "S3OutputPath", S3_URI, "transformOutput.s3OutputPath");
  parseS3Uri(path);
  const accept = optionalString(spec, "Accept", MEDIA_TYPE, "transformOutput.accept");
  const kmsKeyId = optionalString(spec, "KmsKeyId", KMS_KEY, "transformOutput.kmsKeyId");
  return {
    S3OutputPath: path,
    ...(accept !== undefined ? { Accept: accept } : {}),
    AssembleWith: optionalEnum(spec, "AssembleWith", ["None", "Line"] as const, "transformOutput.assembleWith") ?? "None",
    ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
  };
}

function transformResources(input: OperationInput): TransformJobRecord["TransformResources"] {
  const spec = requiredObject(input, "TransformResources", "transformResources");
  const count = optionalInteger(spec, "InstanceCount", 1, Number.MAX_SAFE_INTEGER, "transformResources.instanceCount");
  if (count === undefined) throw missing("transformResources.instanceCount");
  const volumeKey = optionalString(spec, "VolumeKmsKeyId", KMS_KEY, "transformResources.volumeKmsKeyId");
  const ami = optionalString(spec, "TransformAmiVersion", /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/, "transformResources.transformAmiVersion");
  return {
    InstanceType: requiredString(spec, "InstanceType", INSTANCE_TYPE, "transformResources.instanceType"),
    InstanceCount: count,
    ...(volumeKey !== undefined ? { VolumeKmsKeyId: volumeKey } : {}),
    ...(ami !== undefined ? { TransformAmiVersion: ami } : {}),
  };
}

/**
 * DataProcessing, its filters checked as CreateTransformJob checks them (unsupported characters
 * are a ValidationException; a path AWS cannot apply fails the job when it runs, as on AWS).
 */
function dataProcessing(input: OperationInput, contentType: string, accept: string): TransformJobRecord["DataProcessing"] {
  const spec = objectField(input, "DataProcessing") ?? {};
  const filter = (name: "InputFilter" | "OutputFilter", mediaType: string) => {
    const expression = optionalString(spec, name, /^.{0,63}$/s, `dataProcessing.${lowerFirst(name)}`) ?? "$";
    const char = unexpectedCharacter(expression);
    if (char !== undefined) throw invalid(unexpectedCharacterMessage(name, expression, char, mediaType));
    return expression;
  };
  return {
    InputFilter: filter("InputFilter", contentType),
    OutputFilter: filter("OutputFilter", accept),
    JoinSource: optionalEnum(spec, "JoinSource", ["Input", "None"] as const, "dataProcessing.joinSource") ?? "None",
  };
}

function environment(input: OperationInput): Record<string, string> | undefined {
  const map = objectField(input, "Environment");
  if (!map) return undefined;
  const entries = Object.entries(map);
  if (entries.length > 16) throw invalid(`1 validation error detected: Value at 'environment' failed to satisfy constraint: Member must have length less than or equal to 16`);
  for (const [key, value] of entries) {
    if (!ENVIRONMENT_KEY.test(key)) throw invalid(`1 validation error detected: Value '${key}' at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${ENVIRONMENT_KEY.source}]`);
    if (typeof value !== "string" || value.length > 10240) throw invalid(`1 validation error detected: Value at 'environment.${key}' failed to satisfy constraint: Member must be a string of at most 10240 characters`);
  }
  return map as Record<string, string>;
}

function modelClientConfig(input: OperationInput): TransformJobRecord["ModelClientConfig"] {
  const spec = objectField(input, "ModelClientConfig");
  if (!spec) return undefined;
  const timeout = optionalInteger(spec, "InvocationsTimeoutInSeconds", 1, 3600, "modelClientConfig.invocationsTimeoutInSeconds");
  const retries = optionalInteger(spec, "InvocationsMaxRetries", 0, 3, "modelClientConfig.invocationsMaxRetries");
  return { ...(timeout !== undefined ? { InvocationsTimeoutInSeconds: timeout } : {}), ...(retries !== undefined ? { InvocationsMaxRetries: retries } : {}) };
}

function experimentConfig(input: OperationInput): Record<string, string> | undefined {
  const spec = objectField(input, "ExperimentConfig");
  if (!spec) return undefined;
  const names = ["ExperimentName", "TrialName", "TrialComponentDisplayName", "RunName"].flatMap((name) => {
    const value = optionalString(spec, name, EXPERIMENT_NAME, `experimentConfig.${lowerFirst(name)}`);
    return value === undefined ? [] : [[name, value]];
  });
  return Object.fromEntries(names);
}

/**
 * The payload limits: MaxPayloadInMB 6 unless given, 0 for no limit, and "cannot be greater than
 * 100 MB ... the value of (MaxConcurrentTransforms * MaxPayloadInMB) also cannot exceed 100 MB"
 * (CreateTransformJob; AWS's wording for refusing them is not documented).
 */
function payloadLimits(input: OperationInput): { MaxConcurrentTransforms: number; MaxPayloadInMB: number } {
  const concurrency = optionalInteger(input, "MaxConcurrentTransforms", 0, Number.MAX_SAFE_INTEGER) ?? 1;
  const payload = optionalInteger(input, "MaxPayloadInMB", 0, Number.MAX_SAFE_INTEGER) ?? DEFAULT_MAX_PAYLOAD_MB;
  if (payload > MAX_PAYLOAD_TOTAL_MB) throw invalid(`MaxPayloadInMB (${payload}) cannot be greater than ${MAX_PAYLOAD_TOTAL_MB} MB.`);
  if (concurrency * payload > MAX_PAYLOAD_TOTAL_MB) {
    throw invalid(`MaxConcurrentTransforms * MaxPayloadInMB (${concurrency} * ${payload} MB) cannot exceed ${MAX_PAYLOAD_TOTAL_MB} MB.`);
  }
  // 0 lets SageMaker choose; the local job sends one request at a time.
  return { MaxConcurrentTransforms: concurrency === 0 ? 1 : concurrency, MaxPayloadInMB: payload };
}

const createTransformJob: Operation = (ctx, input) => {
  const name = requiredString(input, "TransformJobName", RESOURCE_NAME);
  const modelName = requiredString(input, "ModelName", MODEL_NAME);
  const limits = payloadLimits(input);
  const batchStrategy = optionalEnum(input, "BatchStrategy", ["MultiRecord", "SingleRecord"] as const);
  const clientConfig = modelClientConfig(input);
  const env = environment(input);
  const inputSpec = transformInput(input);
  const outputSpec = transformOutput(input);
  const resources = transformResources(input);
  const processing = dataProcessing(input, inputSpec.ContentType || "text/csv", outputSpec.Accept || "text/csv");
  if (objectField(input, "DataCaptureConfig")) throw invalid("DataCaptureConfig is not supported by the local SageMaker; leave it out.");
  const experiment = experimentConfig(input);
  const jobTags = tags(input);

  const arn = arnOf(ctx, name);
  ctx.authorize({ action: "sagemaker:CreateTransformJob", resource: arn });
  const model = modelNamed(sagemakerTable(ctx.store).read(ctx.principal.accountId), ctx.region, modelName);
  if (!model) throw invalid(`Could not find model "${sagemakerArn(ctx.region, ctx.principal.accountId, "model", modelName)}".`);
  const now = ctx.now().toISOString();
  const record: TransformJobRecord = {
    TransformJobName: name,
    TransformJobArn: arn,
    ModelName: modelName,
    TransformJobStatus: "InProgress",
    ...limits,
    ...(batchStrategy ? { BatchStrategy: batchStrategy } : {}),
    ...(clientConfig ? { ModelClientConfig: clientConfig } : {}),
    ...(env ? { Environment: env } : {}),
    TransformInput: inputSpec,
    TransformOutput: outputSpec,
    TransformResources: resources,
    DataProcessing: processing,
    ...(experiment ? { ExperimentConfig: experiment } : {}),
    CreationTime: now,
    LastModifiedTime: now,
    tags: jobTags,
    model: structuredClone(model),
  };
  sagemakerTable(ctx.store).update(ctx.principal.accountId, (state) => {
    // By ARN, which holds the region and the name in lower case: names differing only in case would share one.
    if (transformJobsIn(state).some((job) => job.TransformJobArn === arn)) {
      throw new AwsError("ResourceInUse", `Transform job names must be unique within an AWS account and region, and a transform job with this name already exists (${arn}).`, 400);
    }
    transformJobsIn(state).push(record);
  });
  startTransform(deployContext(ctx), ctx.principal.accountId, arn);
  return { TransformJobArn: arn };
};

function findJob(ctx: OperationContext, input: OperationInput, action: string): TransformJobRecord {
  const name = requiredString(input, "TransformJobName", RESOURCE_NAME);
  const arn = arnOf(ctx, name);
  ctx.authorize({ action, resource: arn });
  const job = findTransformJob(ctx.store, ctx.principal.accountId, arn);
  // The service model's error for an unknown job; AWS's wording is not documented.
  if (!job) throw new AwsError("ResourceNotFound", `Could not find requested job with name ${name}.`, 400);
  return job;
}

const describeTransformJob: Operation = (ctx, input) => {
  const { tags: _tags, model: _model, LastModifiedTime: _modified, CreationTime, TransformStartTime, TransformEndTime, ...job } = findJob(ctx, input, "sagemaker:DescribeTransformJob");
  return {
    ...job,
    CreationTime: new Date(CreationTime),
    TransformStartTime: TransformStartTime ? new Date(TransformStartTime) : undefined,
    TransformEndTime: TransformEndTime ? new Date(TransformEndTime) : undefined,
  };
};

/** A timestamp filter: epoch seconds on the wire (awsJson), or an ISO string. */
function timeFilter(input: OperationInput, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const millis = typeof value === "number" ? value * 1000 : Date.parse(String(value));
  if (Number.isNaN(millis)) throw invalid(`1 validation error detected: Value '${String(value)}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be a timestamp`);
  return millis;
}

const listTransformJobs: Operation = (ctx, input) => {
  ctx.authorize({ action: "sagemaker:ListTransformJobs", resource: "*" });
  const nameContains = optionalString(input, "NameContains", NAME_CONTAINS);
  const status = optionalEnum(input, "StatusEquals", STATUSES);
  const sortBy = optionalEnum(input, "SortBy", ["Name", "CreationTime", "Status"] as const) ?? "CreationTime";
  const order = sortOrder(input, "Descending");
  const [createdAfter, createdBefore, modifiedAfter, modifiedBefore] = ["CreationTimeAfter", "CreationTimeBefore", "LastModifiedTimeAfter", "LastModifiedTimeBefore"].map((name) => timeFilter(input, name));
  const within = (time: string, after: number | undefined, before: number | undefined) => (after === undefined || Date.parse(time) > after) && (before === undefined || Date.parse(time) < before);
  const key = (job: TransformJobRecord) => (sortBy === "Name" ? job.TransformJobName : sortBy === "Status" ? job.TransformJobStatus : job.CreationTime);
  const jobs = transformJobsIn(sagemakerTable(ctx.store).read(ctx.principal.accountId))
    .filter(
      (job) =>
        inRegion(job.TransformJobArn, ctx.region) &&
        (!nameContains || job.TransformJobName.includes(nameContains)) &&
        (!status || job.TransformJobStatus === status) &&
        within(job.CreationTime, createdAfter, createdBefore) &&
        within(job.LastModifiedTime, modifiedAfter, modifiedBefore),
    )
    .sort((a, b) => (key(a) < key(b) ? -order : key(a) > key(b) ? order : 0));
  const page = paginate(input, jobs, 10);
  return {
    TransformJobSummaries: page.items.map((job) => ({
      TransformJobName: job.TransformJobName,
      TransformJobArn: job.TransformJobArn,
      CreationTime: new Date(job.CreationTime),
      TransformEndTime: job.TransformEndTime ? new Date(job.TransformEndTime) : undefined,
      LastModifiedTime: new Date(job.LastModifiedTime),
      TransformJobStatus: job.TransformJobStatus,
      FailureReason: job.FailureReason,
    })),
    NextToken: page.nextToken,
  };
};

/** Stopping until the runner has finished its current mini-batch, then Stopped (its outputs so far stay). */
const stopTransformJob: Operation = (ctx, input) => {
  const job = findJob(ctx, input, "sagemaker:StopTransformJob");
  if (job.TransformJobStatus === "Stopping") return {};
  // AWS's wording for stopping a job that ended is not documented; this is StopTrainingJob's.
  if (job.TransformJobStatus !== "InProgress") throw invalid(`The request was rejected because the transform job is in status ${job.TransformJobStatus}.`);
  updateTransformJob(ctx.store, ctx.principal.accountId, job.TransformJobArn, ctx.now(), (record) => void (record.TransformJobStatus = "Stopping"));
  return {};
};

export const transformOperations = {
  CreateTransformJob: createTransformJob,
  DescribeTransformJob: describeTransformJob,
  ListTransformJobs: listTransformJobs,
  StopTransformJob: stopTransformJob,
};

import { PROBLEM_TYPES } from "../../../automl/index.ts";
import { AwsError } from "../../errors.ts";
import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { parseS3Uri } from "../s3/service-access.ts";
import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { deployContext } from "./context.ts";
import { AUTOML_METRICS, FORECASTING_METRICS } from "./autopilot-metrics.ts";
import { AUTOML_MODES, DEFAULT_MAX_CANDIDATES, type AutoMLMode } from "./autopilot-modes.ts";
import { authorizePassRole } from "./hosting.ts";
import { SAGEMAKER_PRINCIPAL } from "./inference.ts";
import { AUTOML_JOB_NAME, invalid, listField, NAME_CONTAINS, objectField, optionalInteger, optionalString, requiredString, ROLE_ARN, tags } from "./input.ts";
import { startJob, stopJob } from "./job-runner.ts";
import { paginate, sortOrder } from "./pagination.ts";
import { inRegion, jobNamed, sagemakerArn, sagemakerTable, type AutoMLJobRecord, type CandidateRecord } from "./state.ts";

const S3_PATH = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
const METRIC = new RegExp(`^(${AUTOML_METRICS.join("|")})$`);
const MODE = new RegExp(`^(${AUTOML_MODES.join("|")})$`);
const PROBLEM_TYPE = new RegExp(`^(${PROBLEM_TYPES.join("|")})$`);

const resourceNotFound = (message: string) => new AwsError("ResourceNotFound", message, 400);

interface JobSpec {
  inputS3Uri: string;
  targetAttributeName: string;
  problemType?: string;
  mode: AutoMLMode;
  completionCriteria: AutoMLJobRecord["completionCriteria"];
}

function mode(config: Record<string, unknown> | undefined, path: string): AutoMLMode {
  return (config ? (optionalString(config, "Mode", MODE, `${path}.mode`) as AutoMLMode | undefined) : undefined) ?? "AUTO";
}

function completionCriteria(config: Record<string, unknown> | undefined, path: string): AutoMLJobRecord["completionCriteria"] {
  const criteria = config ? objectField(config, "CompletionCriteria", `${path}.completionCriteria`) : undefined;
  if (!criteria) return {};
  const maxCandidates = optionalInteger(criteria, "MaxCandidates", 1, 750, `${path}.completionCriteria.maxCandidates`);
  const perJob = optionalInteger(criteria, "MaxRuntimePerTrainingJobInSeconds", 1, 2_592_000, `${path}.completionCriteria.maxRuntimePerTrainingJobInSeconds`);
  const total = optionalInteger(criteria, "MaxAutoMLJobRuntimeInSeconds", 1, 2_592_000, `${path}.completionCriteria.maxAutoMLJobRuntimeInSeconds`);
  return {
    ...(maxCandidates !== undefined ? { MaxCandidates: maxCandidates } : {}),
    ...(perJob !== undefined ? { MaxRuntimePerTrainingJobInSeconds: perJob } : {}),
    ...(total !== undefined ? { MaxAutoMLJobRuntimeInSeconds: total } : {}),
  };
}

function s3DataSource(channel: Record<string, unknown>, path: string): string {
  const source = objectField(channel, "DataSource", `${path}.dataSource`);
  const s3 = source ? objectField(source, "S3DataSource", `${path}.dataSource.s3DataSource`) : undefined;
  if (!s3) throw invalid(`1 validation error detected: Value null at '${path}.dataSource.s3DataSource' failed to satisfy constraint: Member must not be null`);
  const type = requiredString(s3, "S3DataType", /^(ManifestFile|S3Prefix|AugmentedManifestFile)$/, `${path}.dataSource.s3DataSource.s3DataType`);
  if (type !== "S3Prefix") throw invalid(`S3DataType ${type} is not supported by the local Autopilot; use S3Prefix.`);
  const compression = optionalString(channel, "CompressionType", /^(None|Gzip)$/, `${path}.compressionType`);
  if (compression === "Gzip") throw invalid("CompressionType Gzip is not supported by the local Autopilot; upload uncompressed CSV.");
  return requiredString(s3, "S3Uri", S3_PATH, `${path}.dataSource.s3DataSource.s3Uri`);
}

/** CreateAutoMLJob's input shape. */
function specV1(input: OperationInput): JobSpec {
  const channels = listField(input, "InputDataConfig", 1, 2);
  const training = channels.find((channel) => (channel.ChannelType ?? "training") === "training") ?? channels[0]!;
  const config = objectField(input, "AutoMLJobConfig");
  const problemType = optionalString(input, "ProblemType", PROBLEM_TYPE);
  return {
    inputS3Uri: s3DataSource(training, "inputDataConfig.1.member"),
    targetAttributeName: requiredString(training, "TargetAttributeName", /^.{1,256}$/s, "inputDataConfig.1.member.targetAttributeName"),
    ...(problemType ? { problemType } : {}),
    mode: mode(config, "autoMLJobConfig"),
    completionCriteria: completionCriteria(config, "autoMLJobConfig"),
  };
}

/** CreateAutoMLJobV2's input shape, tabular problems only. */
function specV2(input: OperationInput): JobSpec {
  const channels = listField(input, "AutoMLJobInputDataConfig", 1, 2);
  const training = channels.find((channel) => (channel.ChannelType ?? "training") === "training") ?? channels[0]!;
  const problemConfig = objectField(input, "AutoMLProblemTypeConfig");
  const tabular = problemConfig ? objectField(problemConfig, "TabularJobConfig", "autoMLProblemTypeConfig.tabularJobConfig") : undefined;
  if (!tabular) throw invalid("The local Autopilot runs tabular problems: AutoMLProblemTypeConfig.TabularJobConfig is required.");
  const problemType = optionalString(tabular, "ProblemType", PROBLEM_TYPE, "autoMLProblemTypeConfig.tabularJobConfig.problemType");
  return {
    inputS3Uri: s3DataSource(training, "autoMLJobInputDataConfig.1.member"),
    targetAttributeName: requiredString(tabular, "TargetAttributeName", /^.{1,256}$/s, "autoMLProblemTypeConfig.tabularJobConfig.targetAttributeName"),
    ...(problemType ? { problemType } : {}),
    mode: mode(tabular, "autoMLProblemTypeConfig.tabularJobConfig"),
    completionCriteria: completionCriteria(tabular, "autoMLProblemTypeConfig.tabularJobConfig"),
  };
}

function createJob(ctx: OperationContext, input: OperationInput, apiVersion: "v1" | "v2"): { AutoMLJobArn: string } {
  const name = requiredString(input, "AutoMLJobName", AUTOML_JOB_NAME);
  const spec = apiVersion === "v1" ? specV1(input) : specV2(input);
  const output = objectField(input, "OutputDataConfig");
  if (!output) throw invalid("1 validation error detected: Value null at 'outputDataConfig' failed to satisfy constraint: Member must not be null");
  const outputS3Path = requiredString(output, "S3OutputPath", S3_PATH, "outputDataConfig.s3OutputPath");
  const roleArn = requiredString(input, "RoleArn", ROLE_ARN);
  const objective = objectField(input, "AutoMLJobObjective");
  const objectiveMetric = objective ? requiredString(objective, "MetricName", METRIC, "autoMLJobObjective.metricName") : undefined;
  if (objectiveMetric && FORECASTING_METRICS.includes(objectiveMetric)) {
    throw invalid(`The objective metric ${objectiveMetric} is for time-series forecasting; tabular jobs take Accuracy, AUC, BalancedAccuracy, F1, Precision, Recall (binary), F1macro, PrecisionMacro, RecallMacro (multiclass) or MAE, MSE, R2, RMSE (regression).`);
  }
  const jobTags = tags(input);
  parseS3Uri(spec.inputS3Uri);

  const arn = sagemakerArn(ctx.region, ctx.principal.accountId, "automl-job", name);
  ctx.authorize({ action: "sagemaker:CreateAutoMLJob", resource: arn });
  authorizePassRole(ctx, roleArn);
  ServiceRoleSession.assume(ctx.store, { arn: roleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, ctx.region, ctx.now);

  const now = ctx.now().toISOString();
  const record: AutoMLJobRecord = {
    AutoMLJobName: name,
    AutoMLJobArn: arn,
    apiVersion,
    request: input,
    ...spec,
    outputS3Path,
    RoleArn: roleArn,
    ...(objectiveMetric ? { objectiveMetric } : {}),
    AutoMLJobStatus: "InProgress",
    AutoMLJobSecondaryStatus: "Starting",
    CreationTime: now,
    LastModifiedTime: now,
    candidates: [],
    tags: jobTags,
  };
  sagemakerTable(ctx.store).update(ctx.principal.accountId, (state) => {
    if (jobNamed(state, ctx.region, name)) throw new AwsError("ResourceInUse", `Job name ${name} is already in use. Job names must be unique within an AWS account and region.`, 400);
    state.jobs.push(record);
  });
  startJob(deployContext(ctx), ctx.principal.accountId, name);
  return { AutoMLJobArn: arn };
}

function findJob(ctx: OperationContext, name: string, action: string): AutoMLJobRecord {
  ctx.authorize({ action, resource: sagemakerArn(ctx.region, ctx.principal.accountId, "automl-job", name) });
  const job = jobNamed(sagemakerTable(ctx.store).read(ctx.principal.accountId), ctx.region, name);
  if (!job) throw resourceNotFound(`Could not find AutoML job with name ${name}.`);
  return job;
}

/** The API's view of a candidate (without the local leaderboard details). */
function candidateView(candidate: CandidateRecord) {
  const { localDetails: _details, ...view } = candidate;
  return { ...view, CreationTime: new Date(candidate.CreationTime), EndTime: new Date(candidate.EndTime), LastModifiedTime: new Date(candidate.LastModifiedTime) };
}

function bestCandidate(job: AutoMLJobRecord) {
  const best = job.candidates.find((candidate) => candidate.CandidateName === job.bestCandidateName);
  return best ? candidateView(best) : undefined;
}

/**
 * The mode as Describe shows it: what was asked for, then what AUTO resolved to once the input was
 * read (AWS's docs are silent on which). Records saved before modes existed are AUTO.
 */
const shownMode = (job: AutoMLJobRecord) => job.resolvedMode ?? job.mode ?? "AUTO";

function commonDescription(job: AutoMLJobRecord) {
  // MaxCandidates' default depends on the mode, so an AUTO job shows it once its mode is known.
  const mode = shownMode(job);
  const defaultCandidates = mode === "AUTO" ? {} : { MaxCandidates: DEFAULT_MAX_CANDIDATES[mode] };
  const criteria = { ...defaultCandidates, MaxAutoMLJobRuntimeInSeconds: 2_592_000, MaxRuntimePerTrainingJobInSeconds: 86_400, ...job.completionCriteria };
  return {
    AutoMLJobName: job.AutoMLJobName,
    AutoMLJobArn: job.AutoMLJobArn,
    OutputDataConfig: { S3OutputPath: job.outputS3Path },
    RoleArn: job.RoleArn,
    AutoMLJobObjective: job.resolved || job.objectiveMetric ? { MetricName: job.resolved?.metric ?? job.objectiveMetric } : undefined,
    CreationTime: new Date(job.CreationTime),
    EndTime: job.EndTime ? new Date(job.EndTime) : undefined,
    LastModifiedTime: new Date(job.LastModifiedTime),
    FailureReason: job.FailureReason,
    BestCandidate: bestCandidate(job),
    AutoMLJobStatus: job.AutoMLJobStatus,
    AutoMLJobSecondaryStatus: job.AutoMLJobSecondaryStatus,
    AutoMLJobArtifacts: job.artifacts,
    criteria,
  };
}

const createAutoMLJob: Operation = (ctx, input) => createJob(ctx, input, "v1");
const createAutoMLJobV2: Operation = (ctx, input) => createJob(ctx, input, "v2");

const describeAutoMLJob: Operation = (ctx, input) => {
  const job = findJob(ctx, requiredString(input, "AutoMLJobName", AUTOML_JOB_NAME), "sagemaker:DescribeAutoMLJob");
  const { criteria, ...common } = commonDescription(job);
  return {
    ...common,
    InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: job.inputS3Uri } }, TargetAttributeName: job.targetAttributeName, ChannelType: "training", ContentType: "text/csv;header=present", CompressionType: "None" }],
    ProblemType: job.resolved?.problemType ?? job.problemType,
    AutoMLJobConfig: { CompletionCriteria: criteria, Mode: shownMode(job) },
    GenerateCandidateDefinitionsOnly: false,
    ResolvedAttributes: job.resolved ? { AutoMLJobObjective: { MetricName: job.resolved.metric }, ProblemType: job.resolved.problemType, CompletionCriteria: criteria } : undefined,
  };
};

const describeAutoMLJobV2: Operation = (ctx, input) => {
  const job = findJob(ctx, requiredString(input, "AutoMLJobName", AUTOML_JOB_NAME), "sagemaker:DescribeAutoMLJobV2");
  const { criteria, ...common } = commonDescription(job);
  return {
    ...common,
    AutoMLJobInputDataConfig: [{ ChannelType: "training", ContentType: "text/csv;header=present", CompressionType: "None", DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: job.inputS3Uri } } }],
    AutoMLProblemTypeConfig: { TabularJobConfig: { CompletionCriteria: criteria, TargetAttributeName: job.targetAttributeName, ProblemType: job.resolved?.problemType ?? job.problemType, Mode: shownMode(job) } },
    AutoMLProblemTypeConfigName: "Tabular",
    ResolvedAttributes: job.resolved
      ? { AutoMLJobObjective: { MetricName: job.resolved.metric }, AutoMLProblemTypeResolvedAttributes: { TabularResolvedAttributes: { ProblemType: job.resolved.problemType } }, CompletionCriteria: criteria }
      : undefined,
  };
};

const listAutoMLJobs: Operation = (ctx, input) => {
  ctx.authorize({ action: "sagemaker:ListAutoMLJobs", resource: "*" });
  const nameContains = optionalString(input, "NameContains", NAME_CONTAINS);
  const status = optionalString(input, "StatusEquals", /^(Completed|InProgress|Failed|Stopped|Stopping)$/);
  const sortBy = optionalString(input, "SortBy", /^(Name|CreationTime|Status)$/) ?? "CreationTime";
  const order = sortOrder(input, "Descending");
  const key = (job: AutoMLJobRecord) => (sortBy === "Name" ? job.AutoMLJobName : sortBy === "Status" ? job.AutoMLJobStatus : job.CreationTime);
  const jobs = sagemakerTable(ctx.store)
    .read(ctx.principal.accountId)
    .jobs.filter((job) => inRegion(job.AutoMLJobArn, ctx.region) && (!nameContains || job.AutoMLJobName.includes(nameContains)) && (!status || job.AutoMLJobStatus === status))
    .sort((a, b) => (key(a) < key(b) ? -order : key(a) > key(b) ? order : 0));
  const page = paginate(input, jobs, 10);
  return {
    AutoMLJobSummaries: page.items.map((job) => ({
      AutoMLJobName: job.AutoMLJobName,
      AutoMLJobArn: job.AutoMLJobArn,
      AutoMLJobStatus: job.AutoMLJobStatus,
      AutoMLJobSecondaryStatus: job.AutoMLJobSecondaryStatus,
      CreationTime: new Date(job.CreationTime),
      EndTime: job.EndTime ? new Date(job.EndTime) : undefined,
      LastModifiedTime: new Date(job.LastModifiedTime),
      FailureReason: job.FailureReason,
    })),
    NextToken: page.nextToken,
  };
};

const listCandidatesForAutoMLJob: Operation = (ctx, input) => {
  const job = findJob(ctx, requiredString(input, "AutoMLJobName", AUTOML_JOB_NAME), "sagemaker:ListCandidatesForAutoMLJob");
  const status = optionalString(input, "StatusEquals", /^(Completed|InProgress|Failed|Stopped|Stopping)$/);
  const nameEquals = optionalString(input, "CandidateNameEquals", /^.{1,64}$/);
  const sortBy = optionalString(input, "SortBy", /^(CreationTime|Status|FinalObjectiveMetricValue)$/) ?? "CreationTime";
  const order = sortOrder(input, "Ascending");
  const metricValue = (candidate: CandidateRecord) => {
    const metric = candidate.FinalAutoMLJobObjectiveMetric;
    if (!metric) return Number.NEGATIVE_INFINITY;
    return metric.Type === "Maximize" ? metric.Value : -metric.Value;
  };
  const key = (candidate: CandidateRecord): string | number =>
    sortBy === "Status" ? candidate.CandidateStatus : sortBy === "FinalObjectiveMetricValue" ? metricValue(candidate) : candidate.CreationTime;
  const candidates = job.candidates
    .filter((candidate) => (!status || candidate.CandidateStatus === status) && (!nameEquals || candidate.CandidateName === nameEquals))
    .map((candidate, index) => ({ candidate, index }))
    .sort((a, b) => {
      const left = key(a.candidate);
      const right = key(b.candidate);
      return left < right ? -order : left > right ? order : a.index - b.index;
    })
    .map(({ candidate }) => candidate);
  const page = paginate(input, candidates, 10, 300);
  return { Candidates: page.items.map(candidateView), NextToken: page.nextToken };
};

const stopAutoMLJob: Operation = (ctx, input) => {
  const job = findJob(ctx, requiredString(input, "AutoMLJobName", AUTOML_JOB_NAME), "sagemaker:StopAutoMLJob");
  if (job.AutoMLJobStatus !== "InProgress") return {};
  sagemakerTable(ctx.store).update(ctx.principal.accountId, (state) => {
    const record = jobNamed(state, ctx.region, job.AutoMLJobName)!;
    record.AutoMLJobStatus = "Stopping";
    record.AutoMLJobSecondaryStatus = "Stopping";
    record.LastModifiedTime = ctx.now().toISOString();
  });
  stopJob(deployContext(ctx), job.AutoMLJobArn);
  return {};
};

export const jobOperations = {
  CreateAutoMLJob: createAutoMLJob,
  CreateAutoMLJobV2: createAutoMLJobV2,
  DescribeAutoMLJob: describeAutoMLJob,
  DescribeAutoMLJobV2: describeAutoMLJobV2,
  ListAutoMLJobs: listAutoMLJobs,
  ListCandidatesForAutoMLJob: listCandidatesForAutoMLJob,
  StopAutoMLJob: stopAutoMLJob,
};

import { createHash } from "node:crypto";
/** The blog's names, as defaults, and the names a run derives from them. */
export interface FlowNames {
  role: string;
  customerPolicy: string;
  /** Least-privilege variant: the role SageMaker runs the job and endpoint as, and the cross-account role's own policy. */
  executionRole: string;
  crossAccountPolicy: string;
  assumePolicy: string;
  saasPolicy: string;
  group: string;
  user: string;
  customerProfile: string;
  saasProfile: string;
  /** The profile written for `user`'s access key. */
  userProfile: string;
  /** Key prefix for the data set and the job's output in the customer's bucket. */
  prefix: string;
  target: string;
}

export const BLOG_NAMES: FlowNames = {
  role: "customer_trusting_saas",
  customerPolicy: "customer_s3",
  executionRole: "customer_sagemaker_execution",
  crossAccountPolicy: "customer_saas_access",
  assumePolicy: "saas_assume_customer_role",
  saasPolicy: "saas_s3",
  group: "AutopilotUsers",
  user: "saas_user",
  customerProfile: "customer_config",
  saasProfile: "saas_config",
  userProfile: "saas_user",
  prefix: "autopilot-churn",
  target: "Churn?",
};

/** The bucket the SageMaker Python SDK's `default_bucket()` uses. */
export function defaultBucket(region: string, accountId: string): string {
  return `sagemaker-${region}-${accountId}`;
}

/** The SaaS account's own bucket for the copy and direct data paths. */
export function saasBucket(region: string, accountId: string): string {
  return `autopilot-saas-${region}-${accountId}`;
}

export function roleArn(accountId: string, role: string): string {
  return `arn:aws:iam::${accountId}:role/${role}`;
}

/** A SageMaker transform job's ARN (`*` for all of the account's in the region). */
export function transformJobArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sagemaker:${region}:${accountId}:transform-job/${name}`;
}

export function policyArn(accountId: string, policy: string): string {
  return `arn:aws:iam::${accountId}:policy/${policy}`;
}

/** SageMaker's pattern for AutoML job, model, endpoint config and endpoint names. */
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const AUTOML_JOB_NAME_MAX = 32;

export function isValidJobName(name: string): boolean {
  return name.length <= AUTOML_JOB_NAME_MAX && SAGEMAKER_NAME.test(name);
}

export function isValidResourceName(name: string): boolean {
  return SAGEMAKER_NAME.test(name);
}

/** `churn-YYYYMMDD-HHMMSS-xxxx` (UTC): unique per run and valid for CreateAutoMLJob (≤ 32 chars). */
export function jobNameAt(date: Date, suffix: string): string {
  const stamp = date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const name = `churn-${stamp}-${suffix}`;
  if (!isValidJobName(name)) throw new Error(`job name "${name}" is not valid for SageMaker (≤ ${AUTOML_JOB_NAME_MAX} letters, digits, hyphens)`);
  return name;
}

export interface HostingNames {
  model: string;
  endpointConfig: string;
  endpoint: string;
}

/** What a candidate's SageMaker resources are named after: the job, plus a hash of the candidate's name when it is not the job's best. */
function candidateBase(jobName: string, candidateName?: string): string {
  return candidateName === undefined ? jobName : `${jobName}-${createHash("sha256").update(candidateName).digest("hex").slice(0, 6)}`;
}

/** The model, config and endpoint of a job's best candidate, or of another one named from its leaderboard. */
export function hostingNames(jobName: string, candidateName?: string): HostingNames {
  const base = candidateBase(jobName, candidateName);
  return { model: `${base}-model`, endpointConfig: `${base}-config`, endpoint: `${base}-endpoint` };
}

export interface BatchNames {
  transformJob: string;
  model: string;
}

/**
 * A batch step's transform job and its model: `<job>-batch-<suffix>` and `<job>-batch-<suffix>-model`
 * (with the candidate's hash, as `hostingNames`). SageMaker keeps a transform job's name for good
 * (there is no DeleteTransformJob), so every run of the step takes a new `suffix`.
 */
export function batchNames(jobName: string, suffix: string, candidateName?: string): BatchNames {
  const transformJob = `${candidateBase(jobName, candidateName)}-batch-${suffix}`;
  const names = { transformJob, model: `${transformJob}-model` };
  for (const name of Object.values(names)) if (!isValidResourceName(name)) throw new Error(`"${name}" is not a valid SageMaker name (≤ 63 letters, digits, hyphens)`);
  return names;
}

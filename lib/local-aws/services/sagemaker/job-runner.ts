import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { metricDirection, type AutoMLResult, type LeaderboardEntry, type MetricName } from "../../../automl/index.ts";
import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { AwsError } from "../../errors.ts";
import { objectsUnder, readWhole, writeObjectAs } from "../s3/service-access.ts";
import { cancelDeployments, type DeployContext } from "./deploy.ts";
import type { Store } from "../../store/store.ts";
import { SAGEMAKER_PRINCIPAL } from "./inference.ts";
import type { JobWorkerInput, JobWorkerMessage } from "./job-protocol.ts";
import { sagemakerArn, sagemakerTable, type AutoMLJobRecord, type CandidateRecord, type JobSecondaryStatus } from "./state.ts";

/** The inference image the local Autopilot's candidates name; endpoints serve its model artifacts. */
export const autopilotImage = (region: string) => `local-aws.dkr.ecr.${region}.amazonaws.com/local-autopilot-inference:1`;

const running = new WeakMap<object, Map<string, Worker>>();
function workersOf(deps: DeployContext): Map<string, Worker> {
  let workers = running.get(deps.store);
  if (!workers) {
    workers = new Map();
    running.set(deps.store, workers);
  }
  return workers;
}

type JobChange = (job: AutoMLJobRecord) => void;

function updateJob(deps: DeployContext, accountId: string, name: string, change: JobChange): AutoMLJobRecord | undefined {
  return sagemakerTable(deps.store).update(accountId, (state) => {
    const job = state.jobs.find((candidate) => candidate.AutoMLJobName === name);
    if (!job) return undefined;
    change(job);
    job.LastModifiedTime = deps.now().toISOString();
    return structuredClone(job);
  });
}

function finish(deps: DeployContext, accountId: string, name: string, status: AutoMLJobRecord["AutoMLJobStatus"], secondary: JobSecondaryStatus, failureReason?: string): void {
  updateJob(deps, accountId, name, (job) => {
    job.AutoMLJobStatus = status;
    job.AutoMLJobSecondaryStatus = secondary;
    job.EndTime = deps.now().toISOString();
    if (failureReason) job.FailureReason = failureReason;
  });
}

/** Runs the job in the background; whatever happens ends in Completed, Stopped or Failed with a reason. */
export function startJob(deps: DeployContext, accountId: string, name: string): void {
  runJob(deps, accountId, name).catch((error: unknown) => {
    console.error(`local-aws: AutoML job ${name} crashed:`, error);
    finish(deps, accountId, name, "Failed", "Failed", `InternalServerError: ${error instanceof Error ? error.message : String(error)}`);
  });
}

const closing = new WeakSet<object>();

/**
 * Server shutdown: running jobs' threads end without recording an outcome, so the jobs are still
 * InProgress in the state and `resumeJobs` runs them again at the next start.
 */
export async function interruptJobs(store: Store): Promise<void> {
  closing.add(store);
  cancelDeployments(store);
  const workers = running.get(store);
  await Promise.all([...(workers?.values() ?? [])].map((worker) => worker.terminate()));
}

/** Asks a running job to stop; the engine returns its best candidate so far. */
export function stopJob(deps: DeployContext, jobArn: string): boolean {
  const worker = workersOf(deps).get(jobArn);
  worker?.postMessage({ type: "stop" });
  return worker !== undefined;
}

async function runJob(deps: DeployContext, accountId: string, name: string): Promise<void> {
  const job = sagemakerTable(deps.store).read(accountId).jobs.find((candidate) => candidate.AutoMLJobName === name);
  if (!job) return;
  let session: ServiceRoleSession;
  let csv: string;
  try {
    session = ServiceRoleSession.assume(deps.store, { arn: job.RoleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, deps.region, deps.now);
    csv = await readTrainingData(deps, session, job.inputS3Uri);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    finish(deps, accountId, name, "Failed", "Failed", `ClientError: ${error.code}: ${error.message}`);
    return;
  }
  if (currentStatus(deps, accountId, name) !== "InProgress") return finish(deps, accountId, name, "Stopped", "Stopped");
  updateJob(deps, accountId, name, (record) => void (record.AutoMLJobStatus === "InProgress" && (record.AutoMLJobSecondaryStatus = "AnalyzingData")));

  const outcome = await trainInWorker(deps, job, accountId, csv);
  if (outcome.type === "interrupted") return;
  if (outcome.type === "failed") {
    finish(deps, accountId, name, "Failed", "Failed", `${outcome.clientError ? "ClientError" : "AlgorithmError"}: ${outcome.message}`);
    return;
  }
  updateJob(deps, accountId, name, (record) => void (record.AutoMLJobStatus === "InProgress" && (record.AutoMLJobSecondaryStatus = "GeneratingExplainabilityReport")));
  try {
    await writeArtifacts(deps, session, job, accountId, outcome.result);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    finish(deps, accountId, name, "Failed", "Failed", `ClientError: could not write the job's output to ${job.outputS3Path}: ${error.code}: ${error.message}`);
    return;
  }
  const end = outcome.result.end;
  if (end === "Stopped") finish(deps, accountId, name, "Stopped", "Stopped");
  else finish(deps, accountId, name, "Completed", end === "MaxCandidatesReached" ? "MaxCandidatesReached" : "MaxAutoMLJobRuntimeReached");
}

function currentStatus(deps: DeployContext, accountId: string, name: string) {
  const job = sagemakerTable(deps.store).read(accountId).jobs.find((candidate) => candidate.AutoMLJobName === name);
  return job?.AutoMLJobStatus;
}

/** Every CSV object under the input prefix, read as the job's role, joined under one header. */
async function readTrainingData(deps: DeployContext, session: ServiceRoleSession, uri: string): Promise<string> {
  const { bucket, objects } = objectsUnder(deps.store, session, uri);
  if (objects.length === 0) throw new AwsError("NoInputData", `No objects were found under ${uri}.`, 400);
  const texts = await Promise.all(objects.map(async (record) => (await readWhole(deps.store, bucket, record)).toString("utf8")));
  const header = texts[0]!.split(/\r?\n/, 1)[0];
  return texts
    .map((text, i) => {
      if (i === 0) return text.replace(/\s+$/, "");
      const [first, ...rest] = text.split(/\r?\n/);
      if (first !== header) throw new AwsError("InconsistentInput", `${uri}: object ${objects[i]!.key} has a different header from ${objects[0]!.key}.`, 400);
      return rest.join("\n").replace(/\s+$/, "");
    })
    .join("\n");
}

type TrainingOutcome = { type: "result"; result: AutoMLResult } | { type: "failed"; clientError: boolean; message: string } | { type: "interrupted" };

const WORKER_SCRIPT = existsSync(new URL("./job-worker.js", import.meta.url)) ? new URL("./job-worker.js", import.meta.url) : new URL("./job-worker-from-source.mjs", import.meta.url);

function trainInWorker(deps: DeployContext, job: AutoMLJobRecord, accountId: string, csv: string): Promise<TrainingOutcome> {
  const criteria = job.completionCriteria;
  const input: JobWorkerInput = {
    csv,
    options: {
      target: job.targetAttributeName,
      ...(job.problemType ? { problemType: job.problemType } : {}),
      ...(job.objectiveMetric ? { objective: job.objectiveMetric } : {}),
      maxCandidates: criteria.MaxCandidates ?? 250,
      ...(criteria.MaxRuntimePerTrainingJobInSeconds ? { maxRuntimePerCandidateSeconds: criteria.MaxRuntimePerTrainingJobInSeconds } : {}),
      ...(criteria.MaxAutoMLJobRuntimeInSeconds ? { maxRuntimeSeconds: criteria.MaxAutoMLJobRuntimeInSeconds } : {}),
      seed: 0,
    },
  };
  const worker = new Worker(WORKER_SCRIPT, { workerData: input });
  workersOf(deps).set(job.AutoMLJobArn, worker);
  if (currentStatus(deps, accountId, job.AutoMLJobName) === "Stopping") worker.postMessage({ type: "stop" });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: TrainingOutcome) => {
      if (settled) return;
      settled = true;
      if (closing.has(deps.store)) outcome = { type: "interrupted" };
      workersOf(deps).delete(job.AutoMLJobArn);
      resolve(outcome);
    };
    worker.on("message", (message: JobWorkerMessage) => {
      if (message.type === "progress") {
        const stage = message.progress.stage;
        const secondary: JobSecondaryStatus | undefined = stage === "AnalyzingData" || stage === "FeatureEngineering" || stage === "ModelTuning" ? stage : undefined;
        if (secondary) updateJob(deps, accountId, job.AutoMLJobName, (record) => void (record.AutoMLJobStatus === "InProgress" && (record.AutoMLJobSecondaryStatus = secondary)));
      } else if (message.type === "candidate") {
        const candidate = candidateRecord(deps, job, accountId, message.candidate);
        updateJob(deps, accountId, job.AutoMLJobName, (record) => void record.candidates.push(candidate));
      } else {
        settle(message);
      }
    });
    worker.on("error", (error) => settle({ type: "failed", clientError: false, message: error.message }));
    worker.on("exit", (code) => settle({ type: "failed", clientError: false, message: `the training process exited with code ${code}` }));
  });
}

const modelUri = (job: AutoMLJobRecord, candidateName: string) => `${jobOutput(job)}/models/${candidateName}/model.json`;
const jobOutput = (job: AutoMLJobRecord) => `${job.outputS3Path.replace(/\/+$/, "")}/${job.AutoMLJobName}`;
const candidateName = (job: AutoMLJobRecord, engineName: string) => `${job.AutoMLJobName}-${engineName}`.slice(0, 64);

function inferenceEnvironment(problemType: string): Record<string, string> {
  return {
    SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: "text/csv",
    SAGEMAKER_INFERENCE_OUTPUT: "predicted_label",
    SAGEMAKER_INFERENCE_SUPPORTED: problemType === "Regression" ? "predicted_label" : "predicted_label,probability,probabilities,labels",
    SAGEMAKER_PROGRAM: "local-autopilot",
  };
}

function candidateRecord(deps: DeployContext, job: AutoMLJobRecord, accountId: string, entry: LeaderboardEntry, problemType = job.resolved?.problemType): CandidateRecord {
  const name = candidateName(job, entry.name);
  const now = deps.now().toISOString();
  const metric = Object.keys(entry.metrics ?? {})[0];
  const objectiveName = (job.resolved?.metric ?? job.objectiveMetric ?? metric ?? "") as MetricName;
  const completed = entry.status === "Completed" && entry.objective !== null;
  return {
    CandidateName: name,
    ...(completed
      ? { FinalAutoMLJobObjectiveMetric: { Type: metricDirection(objectiveName) === "maximize" ? "Maximize" : "Minimize", MetricName: objectiveName, Value: entry.objective!, StandardMetricName: objectiveName } }
      : {}),
    ObjectiveStatus: completed ? "Succeeded" : "Failed",
    CandidateSteps: [{ CandidateStepType: "AWS::SageMaker::TrainingJob", CandidateStepArn: sagemakerArn(deps.region, accountId, "training-job", name), CandidateStepName: name }],
    CandidateStatus: completed ? "Completed" : "Failed",
    InferenceContainers: completed ? [{ Image: autopilotImage(deps.region), ModelDataUrl: modelUri(job, name), Environment: inferenceEnvironment(problemType ?? "") }] : [],
    CreationTime: now,
    EndTime: now,
    LastModifiedTime: now,
    ...(entry.failureReason ? { FailureReason: entry.failureReason } : {}),
    CandidateProperties: {
      CandidateMetrics: Object.entries(entry.metrics ?? {})
        .filter((pair): pair is [string, number] => typeof pair[1] === "number")
        .map(([metricName, value]) => ({ MetricName: metricName, Value: value, Set: "Validation" as const, StandardMetricName: metricName })),
    },
    localDetails: { algorithm: entry.algorithm, hyperparameters: entry.hyperparameters, fitSeconds: entry.fitSeconds },
  };
}

/** The job's outputs under S3OutputPath/<job>/, written as its role, and its final candidates. */
async function writeArtifacts(deps: DeployContext, session: ServiceRoleSession, job: AutoMLJobRecord, accountId: string, result: AutoMLResult): Promise<void> {
  const now = deps.now();
  const base = jobOutput(job);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2), "utf8");
  updateJob(deps, accountId, job.AutoMLJobName, (record) => void (record.resolved = { problemType: result.problemType, metric: result.objective.metric }));
  const resolvedJob: AutoMLJobRecord = { ...job, resolved: { problemType: result.problemType, metric: result.objective.metric } };
  const candidates = result.leaderboard.map((entry) => candidateRecord(deps, resolvedJob, accountId, entry, result.problemType));
  await writeObjectAs(deps.store, session, `${base}/data-profile.json`, json(result.analysis), "application/json", now);
  await writeObjectAs(deps.store, session, `${base}/candidate-definitions.json`, json(result.leaderboard), "application/json", now);
  for (const [engineName, artifact] of Object.entries(result.candidateArtifacts)) {
    const artifactToWrite = engineName === result.best.name ? result.best.artifact : artifact;
    await writeObjectAs(deps.store, session, modelUri(job, candidateName(job, engineName)), json(artifactToWrite), "application/json", now);
  }
  const bestName = candidateName(job, result.best.name);
  const explainability = `${base}/explainability/${bestName}`;
  await writeObjectAs(deps.store, session, `${explainability}/feature-importance.json`, json(result.best.featureImportance), "application/json", now);
  updateJob(deps, accountId, job.AutoMLJobName, (record) => {
    record.candidates = candidates.map((candidate) =>
      candidate.CandidateName === bestName ? { ...candidate, CandidateProperties: { ...candidate.CandidateProperties, CandidateArtifactLocations: { Explainability: explainability } } } : candidate,
    );
    record.bestCandidateName = bestName;
  });
}

/** After a restart: jobs that were running start again (the engine is deterministic); stops asked for are honoured. */
export function resumeJobs(deps: DeployContext): void {
  for (const accountId of deps.accountIds) {
    for (const job of sagemakerTable(deps.store).read(accountId).jobs) {
      if (job.AutoMLJobStatus === "Stopping") finish(deps, accountId, job.AutoMLJobName, "Stopped", "Stopped");
      else if (job.AutoMLJobStatus === "InProgress") {
        updateJob(deps, accountId, job.AutoMLJobName, (record) => {
          record.AutoMLJobSecondaryStatus = "Starting";
          record.candidates = [];
        });
        startJob(deps, accountId, job.AutoMLJobName);
      }
    }
  }
}

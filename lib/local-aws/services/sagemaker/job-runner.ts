import type { Worker } from "node:worker_threads";
import { AutoMLInputError, decodeText, INPUT_LIMITS, metricDirection, type LeaderboardEntry, type MetricName } from "../../../automl/index.ts";
import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { AwsError } from "../../errors.ts";
import { objectsUnder, readWhole, writeObjectAs } from "../s3/service-access.ts";
import { cancelDeployments, type DeployContext } from "./deploy.ts";
import type { Store } from "../../store/store.ts";
import { SAGEMAKER_PRINCIPAL } from "./inference.ts";
import type { JobWorkerInput, JobWorkerMessage } from "./job-protocol.ts";
import type { JobOutputs, JobSummary } from "./job-outputs.ts";
import { isObjectiveMetric } from "./autopilot-metrics.ts";
import { candidateShape, DEFAULT_MAX_CANDIDATES, ENGINE_ENSEMBLING, resolveMode, type JobNaming, type TrainingMode } from "./autopilot-modes.ts";
import { jobNamed, regionOf, sagemakerTable, type AutoMLJobRecord, type CandidateRecord, type JobSecondaryStatus } from "./state.ts";
import { startWorker } from "./worker-script.ts";

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
    const job = jobNamed(state, deps.region, name);
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
  const job = jobNamed(sagemakerTable(deps.store).read(accountId), deps.region, name);
  if (!job) return;
  let session: ServiceRoleSession;
  let data: TrainingData;
  try {
    session = ServiceRoleSession.assume(deps.store, { arn: job.RoleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, deps.region, deps.now);
    data = await readTrainingData(deps, session, job.inputS3Uri);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    finish(deps, accountId, name, "Failed", "Failed", `ClientError: ${error.code}: ${error.message}`);
    return;
  }
  if (currentStatus(deps, accountId, name) !== "InProgress") return finish(deps, accountId, name, "Stopped", "Stopped");
  // A job resumed after a restart keeps the mode it resolved to; records saved before modes existed are AUTO.
  const mode = job.resolvedMode ?? resolveMode(job.mode ?? "AUTO", data.bytes, deps.ensemblingMaxBytes);
  updateJob(deps, accountId, name, (record) => {
    record.resolvedMode = mode;
    if (record.AutoMLJobStatus === "InProgress") record.AutoMLJobSecondaryStatus = "AnalyzingData";
  });
  const running = { ...job, resolvedMode: mode };

  const outcome = await trainInWorker(deps, running, accountId, data.csv);
  if (outcome.type === "interrupted") return;
  if (outcome.type === "stopped") return finish(deps, accountId, name, "Stopped", "Stopped");
  if (outcome.type === "failed") {
    finish(deps, accountId, name, "Failed", "Failed", `${outcome.clientError ? "ClientError" : "AlgorithmError"}: ${outcome.message}`);
    return;
  }
  try {
    await writeOutputs(deps, session, running, accountId, outcome.summary, outcome.outputs);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    finish(deps, accountId, name, "Failed", "Failed", `ClientError: could not write the job's output to ${job.outputS3Path}: ${error.code}: ${error.message}`);
    return;
  }
  const end = outcome.summary.end;
  if (end === "Stopped") finish(deps, accountId, name, "Stopped", "Stopped");
  else if (end === "MaxAutoMLJobRuntimeReached") finish(deps, accountId, name, "Completed", "MaxAutoMLJobRuntimeReached");
  // An ensembling job ends Completed, an HPO job MaxCandidatesReached, as the console shows them.
  else finish(deps, accountId, name, "Completed", mode === "ENSEMBLING" ? "Completed" : "MaxCandidatesReached");
}

function currentStatus(deps: DeployContext, accountId: string, name: string) {
  return jobNamed(sagemakerTable(deps.store).read(accountId), deps.region, name)?.AutoMLJobStatus;
}

interface TrainingData {
  csv: string;
  /** The input objects' total size, which AUTO mode goes by. */
  bytes: number;
}

/** Every CSV object under the input prefix, read as the job's role, joined under one header. */
async function readTrainingData(deps: DeployContext, session: ServiceRoleSession, uri: string): Promise<TrainingData> {
  const { bucket, objects } = objectsUnder(deps.store, session, uri);
  if (objects.length === 0) throw new AwsError("NoInputData", `No objects were found under ${uri}.`, 400);
  const bodies = await Promise.all(objects.map((record) => readWhole(deps.store, bucket, record)));
  const texts = bodies.map((body, i) => utf8Text(body, objects[i]!.key));
  const header = texts[0]!.split(/\r?\n/, 1)[0];
  const csv = texts
    .map((text, i) => {
      if (i === 0) return text.replace(/\s+$/, "");
      const [first, ...rest] = text.split(/\r?\n/);
      if (first !== header) throw new AwsError("InconsistentInput", `${uri}: object ${objects[i]!.key} has a different header from ${objects[0]!.key}.`, 400);
      return rest.join("\n").replace(/\s+$/, "");
    })
    .join("\n");
  return { csv, bytes: bodies.reduce((total, body) => total + body.length, 0) };
}

/** An input object's text: Autopilot reads UTF-8 CSV (lib/automl/table.ts); other encodings fail the job, named. */
function utf8Text(body: Buffer, key: string): string {
  try {
    return decodeText(body, `Input object ${key}`, { utf8Only: true }).text;
  } catch (error) {
    if (error instanceof AutoMLInputError) throw new AwsError("UnsupportedEncoding", error.message, 400);
    throw error;
  }
}

type TrainingOutcome = Extract<JobWorkerMessage, { type: "result" | "failed" | "stopped" }> | { type: "interrupted" };

/** The engine's stages as each mode's secondary statuses: ensembling trains its models in one step. */
function secondaryStatus(mode: TrainingMode, stage: string): JobSecondaryStatus | undefined {
  if (stage === "AnalyzingData") return stage;
  if (stage === "FeatureEngineering" || stage === "ModelTuning") return mode === "ENSEMBLING" ? "TrainingModels" : stage;
  return undefined;
}

function trainInWorker(deps: DeployContext, job: RunningJob, accountId: string, csv: string): Promise<TrainingOutcome> {
  const criteria = job.completionCriteria;
  const mode = job.resolvedMode;
  const input: JobWorkerInput = {
    csv,
    options: {
      target: job.targetAttributeName,
      ...(job.problemType ? { problemType: job.problemType } : {}),
      ...(job.objectiveMetric ? { objective: job.objectiveMetric } : {}),
      maxCandidates: criteria.MaxCandidates ?? DEFAULT_MAX_CANDIDATES[mode],
      ensembling: ENGINE_ENSEMBLING[mode],
      // Autopilot's input rules: UTF-8, comma-separated, 500 rows (INPUT_LIMITS cites the API reference), five of every class.
      inputRules: "autopilot",
      minRows: INPUT_LIMITS.minRows,
      ...(criteria.MaxRuntimePerTrainingJobInSeconds ? { maxRuntimePerCandidateSeconds: criteria.MaxRuntimePerTrainingJobInSeconds } : {}),
      ...(criteria.MaxAutoMLJobRuntimeInSeconds ? { maxRuntimeSeconds: criteria.MaxAutoMLJobRuntimeInSeconds } : {}),
      seed: 0,
    },
    outputs: {
      mode,
      naming: naming(deps, job, accountId),
      job: {
        jobName: job.AutoMLJobName,
        roleArn: job.RoleArn,
        inputS3Uri: job.inputS3Uri,
        outputS3Path: job.outputS3Path,
        target: job.targetAttributeName,
        mode,
        completionCriteria: job.completionCriteria,
        seed: 0,
      },
      clockOffsetMs: deps.now().getTime() - Date.now(),
    },
  };
  const worker = startWorker("job-worker", input);
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
        const secondary = secondaryStatus(mode, message.progress.stage);
        if (secondary) updateJob(deps, accountId, job.AutoMLJobName, (record) => void (record.AutoMLJobStatus === "InProgress" && (record.AutoMLJobSecondaryStatus = secondary)));
      } else if (message.type === "candidate") {
        // HPO candidates are listed as they finish, with their containers once the job has written
        // their models; an ensembling job's trials once the models they stack are trained.
        if (mode === "HYPERPARAMETER_TUNING") {
          const candidate = { ...candidateRecord(deps, job, accountId, message.candidate, job.problemType ?? ""), InferenceContainers: [] };
          updateJob(deps, accountId, job.AutoMLJobName, (record) => void record.candidates.push(candidate));
        }
      } else {
        settle(message);
      }
    });
    worker.on("error", (error) => settle({ type: "failed", clientError: false, message: error.message }));
    worker.on("exit", (code) => settle({ type: "failed", clientError: false, message: `the training process exited with code ${code}` }));
  });
}

type RunningJob = AutoMLJobRecord & { resolvedMode: TrainingMode };

const jobOutput = (job: AutoMLJobRecord) => `${job.outputS3Path.replace(/\/+$/, "")}/${job.AutoMLJobName}`;

function naming(deps: DeployContext, job: AutoMLJobRecord, accountId: string): Omit<JobNaming, "problemType"> {
  return { region: deps.region, accountId, jobName: job.AutoMLJobName, outputBase: jobOutput(job) };
}

function metricDatum(metricName: string, value: number) {
  return { ...(isObjectiveMetric(metricName) ? { MetricName: metricName } : {}), Value: value, Set: "Validation" as const, StandardMetricName: metricName };
}

function candidateRecord(deps: DeployContext, job: RunningJob, accountId: string, entry: LeaderboardEntry, problemType: string): CandidateRecord {
  const { modelObjects: _objects, ...shape } = candidateShape(job.resolvedMode, { ...naming(deps, job, accountId), problemType }, entry);
  const now = deps.now().toISOString();
  const objectiveName = (job.resolved?.metric ?? job.objectiveMetric ?? Object.keys(entry.metrics ?? {})[0] ?? "") as MetricName;
  const completed = entry.status === "Completed" && entry.objective !== null;
  return {
    ...shape,
    ...(completed
      ? { FinalAutoMLJobObjectiveMetric: { Type: metricDirection(objectiveName) === "maximize" ? "Maximize" : "Minimize", MetricName: objectiveName, Value: entry.objective!, StandardMetricName: objectiveName } }
      : {}),
    ObjectiveStatus: completed ? "Succeeded" : "Failed",
    CandidateStatus: completed ? "Completed" : entry.status,
    CreationTime: now,
    EndTime: now,
    LastModifiedTime: now,
    ...(entry.failureReason ? { FailureReason: entry.failureReason } : {}),
    CandidateProperties: {
      CandidateMetrics: Object.entries(entry.metrics ?? {})
        .filter((pair): pair is [string, number] => typeof pair[1] === "number")
        .map(([metricName, value]) => metricDatum(metricName, value)),
    },
    localDetails: { algorithm: entry.algorithm, hyperparameters: entry.hyperparameters, fitSeconds: entry.fitSeconds },
  };
}

/** The job's outputs (built by its worker) written under S3OutputPath/<job>/ as its role, and its final candidates. */
async function writeOutputs(deps: DeployContext, session: ServiceRoleSession, job: RunningJob, accountId: string, summary: JobSummary, outputs: JobOutputs): Promise<void> {
  const now = deps.now();
  const resolved = { problemType: summary.problemType, metric: summary.metric };
  updateJob(deps, accountId, job.AutoMLJobName, (record) => void (record.resolved = resolved));
  const resolvedJob: RunningJob = { ...job, resolved };
  const candidates = summary.leaderboard.map((entry) => candidateRecord(deps, resolvedJob, accountId, entry, summary.problemType));
  for (const object of outputs.objects) {
    const secondary = REPORT_STATUS[object.report ?? ""];
    if (secondary) updateJob(deps, accountId, job.AutoMLJobName, (record) => void (record.AutoMLJobStatus === "InProgress" && (record.AutoMLJobSecondaryStatus = secondary)));
    // Buffers arrive from the worker as plain Uint8Arrays.
    await writeObjectAs(deps.store, session, object.uri, Buffer.from(object.body.buffer, object.body.byteOffset, object.body.byteLength), object.contentType, now);
  }
  updateJob(deps, accountId, job.AutoMLJobName, (record) => {
    record.candidates = candidates.map((candidate) => {
      const locations = outputs.candidateLocations.get(candidate.CandidateName);
      return locations ? { ...candidate, CandidateProperties: { ...candidate.CandidateProperties, CandidateArtifactLocations: locations } } : candidate;
    });
    record.bestCandidateName = candidates[summary.leaderboard.findIndex((entry) => entry.name === summary.bestName)]!.CandidateName;
    record.artifacts = outputs.jobArtifacts;
  });
}

const REPORT_STATUS: Record<string, JobSecondaryStatus> = { explainability: "GeneratingExplainabilityReport", "model-insights": "GeneratingModelInsightsReport" };

/**
 * After a restart: jobs that were running start again (the engine is deterministic); stops asked
 * for are honoured. Each in its own region, the one its ARN names, whatever the server's.
 */
export function resumeJobs(deps: DeployContext): void {
  for (const accountId of deps.accountIds) {
    for (const job of sagemakerTable(deps.store).read(accountId).jobs) {
      const own = { ...deps, region: regionOf(job.AutoMLJobArn) };
      if (job.AutoMLJobStatus === "Stopping") finish(own, accountId, job.AutoMLJobName, "Stopped", "Stopped");
      else if (job.AutoMLJobStatus === "InProgress") {
        updateJob(own, accountId, job.AutoMLJobName, (record) => {
          record.AutoMLJobSecondaryStatus = "Starting";
          record.candidates = [];
        });
        startJob(own, accountId, job.AutoMLJobName);
      }
    }
  }
}

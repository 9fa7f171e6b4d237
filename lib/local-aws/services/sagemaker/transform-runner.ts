import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import type { DeployContext } from "./deploy.ts";
import { fetchModelData, SAGEMAKER_PRINCIPAL } from "./inference.ts";
import type { ContainerData } from "./serving/model.ts";
import { JsonPathError, parseJsonPath } from "./jsonpath-filter.ts";
import { regionOf, sagemakerTable } from "./state.ts";
import type { TransformSettings } from "./transform-batch.ts";
import { inputObjects, inputStream, lineBatches, MB, OutputObject, outputUri, PayloadTooLarge, type InputObject } from "./transform-io.ts";
import { BatchFailure, closeTransformWorkers, TransformScorer } from "./transform-scorer.ts";
import { findTransformJob, transformJobsIn, updateTransformJob, type TransformJobRecord } from "./transform-state.ts";

/** MaxPayloadInMB's default, and the mini-batch size when it is 0 ("arbitrarily large" payloads). */
export const DEFAULT_MAX_PAYLOAD_MB = 6;
/** Mini-batches read ahead while the worker transforms one, so reading and scoring overlap. */
const IN_FLIGHT = 2;
/** FailureReason's length limit in the service model. */
const MAX_REASON = 1024;

const closing = new WeakSet<Store>();

interface RunContext {
  deps: DeployContext;
  accountId: string;
  job: TransformJobRecord;
  session: ServiceRoleSession;
  scorer: TransformScorer;
}

/** Runs the job in the background; whatever happens it ends Completed, Stopped or Failed with a reason. */
export function startTransform(deps: DeployContext, accountId: string, arn: string): void {
  runTransform(deps, accountId, arn).catch((error: unknown) => {
    // A shutdown ends a job's worker under it: not the job's failure.
    if (closing.has(deps.store)) return;
    console.error(`local-aws: transform job ${arn} crashed:`, error);
    finish(deps, accountId, arn, "Failed", `InternalServerError: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/**
 * Server shutdown: running transforms end without an outcome, still InProgress in the state, and
 * `resumeTransforms` runs them again from their first object at the next start.
 */
export async function interruptTransforms(store: Store): Promise<void> {
  closing.add(store);
  await closeTransformWorkers(store);
}

/**
 * After a restart: jobs that were running run again, writing their outputs anew (a model answers
 * the same records the same way), as a job on AWS carries on through what happens to its hosts;
 * stops asked for are honoured.
 */
export function resumeTransforms(deps: DeployContext): void {
  for (const accountId of deps.accountIds) {
    for (const job of transformJobsIn(sagemakerTable(deps.store).read(accountId))) {
      if (job.TransformJobStatus === "Stopping") finish(deps, accountId, job.TransformJobArn, "Stopped");
      else if (job.TransformJobStatus === "InProgress") startTransform(deps, accountId, job.TransformJobArn);
    }
  }
}

/** The job's outcome, unless the server is stopping (then the job stays InProgress, to run again). */
function finish(deps: DeployContext, accountId: string, arn: string, status: "Completed" | "Failed" | "Stopped", reason?: string): void {
  if (closing.has(deps.store)) return;
  updateTransformJob(deps.store, accountId, arn, deps.now(), (job) => {
    job.TransformJobStatus = status;
    job.TransformEndTime = deps.now().toISOString();
    if (reason) job.FailureReason = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
  });
}

const stopAsked = (deps: DeployContext, accountId: string, arn: string) => findTransformJob(deps.store, accountId, arn)?.TransformJobStatus === "Stopping";

async function runTransform(deps: DeployContext, accountId: string, arn: string): Promise<void> {
  const job = findTransformJob(deps.store, accountId, arn);
  if (!job) return;
  if (job.TransformJobStatus === "Stopping") return finish(deps, accountId, arn, "Stopped");
  updateTransformJob(deps.store, accountId, arn, deps.now(), (record) => void (record.TransformStartTime ??= deps.now().toISOString()));
  const region = regionOf(arn);
  let session: ServiceRoleSession;
  let inputs: InputObject[];
  let containers: ContainerData[];
  try {
    session = ServiceRoleSession.assume(deps.store, { arn: job.model.ExecutionRoleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, region, deps.now);
    containers = await fetchModelData(deps.store, region, deps.now, job.model);
    inputs = await inputObjects(deps.store, session, job.TransformInput.DataSource.S3DataSource);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return finish(deps, accountId, arn, "Failed", `ClientError: ${error.code}: ${error.message}`);
  }
  let settings: TransformSettings;
  try {
    settings = transformSettings(job);
  } catch (error) {
    if (!(error instanceof JsonPathError)) throw error;
    // AWS reports a path it cannot apply against the object it was applying it to (aws/sagemaker-python-sdk#1112).
    return finish(deps, accountId, arn, "Failed", `ClientError: ${inputs[0]!.uri}: ${error.message}`);
  }
  // No worker started for a server that is stopping.
  if (closing.has(deps.store)) return;
  let scorer: TransformScorer;
  try {
    scorer = await TransformScorer.start(deps.store, { modelName: job.ModelName, containers: withJobEnvironment(containers, job.Environment), settings });
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return finish(deps, accountId, arn, "Failed", `ClientError: ${error.code}: ${error.message}`);
  }
  const failures: string[] = [];
  let stopped = false;
  try {
    for (const input of inputs) {
      const outcome = stopAsked(deps, accountId, arn) ? "stopped" : await transformObject({ deps, accountId, job, session, scorer }, settings, input);
      if (outcome === "stopped") {
        stopped = true;
        break;
      }
      if (outcome) failures.push(outcome);
    }
  } finally {
    await scorer.release();
  }
  if (stopped) return finish(deps, accountId, arn, "Stopped");
  if (failures.length === 0) return finish(deps, accountId, arn, "Completed");
  // "a transform job continues to process input files even if it fails to process one" (Batch Transform Errors).
  const more = failures.length > 1 ? ` (${failures.length - 1} more input objects failed too.)` : "";
  finish(deps, accountId, arn, "Failed", `${failures[0]}${more}`);
}

/**
 * One input object, streamed: mini-batches go to the model as they are read, their output to
 * `<name>.out` as it comes. Returns undefined when the output was written, "stopped", or the
 * reason the object failed (its output then not written, as AWS leaves none for a file with a
 * bad record, Batch Transform Errors).
 */
async function transformObject(run: RunContext, settings: TransformSettings, input: InputObject): Promise<string | "stopped" | undefined> {
  const { deps, job } = run;
  const target = outputUri(job.TransformOutput.S3OutputPath, input);
  let output: OutputObject;
  try {
    output = new OutputObject(deps.store, run.session, target, job.TransformOutput.Accept ?? "application/octet-stream", deps.now);
  } catch (error) {
    if (error instanceof AwsError) return `ClientError: ${input.uri}: could not write its output ${target}: ${error.code}: ${error.message}`;
    throw error;
  }
  const limit = job.MaxPayloadInMB === 0 ? Number.POSITIVE_INFINITY : job.MaxPayloadInMB * MB;
  const inFlight: Promise<Buffer>[] = [];
  try {
    for await (const batch of lineBatches(inputStream(deps.store, input, job.TransformInput.CompressionType), settings.splitType, limit, DEFAULT_MAX_PAYLOAD_MB * MB)) {
      if (stopAsked(deps, run.accountId, job.TransformJobArn)) {
        await output.abort();
        return "stopped";
      }
      const transformed = run.scorer.transform(batch);
      // Settled later (or never, if the object fails first): a failure is read where it is awaited.
      transformed.catch(() => undefined);
      inFlight.push(transformed);
      if (inFlight.length >= IN_FLIGHT) await output.write(await inFlight.shift()!);
    }
    for (const transformed of inFlight.splice(0)) await output.write(await transformed);
    await output.commit();
    return undefined;
  } catch (error) {
    await output.abort();
    return failureReason(input, target, error);
  }
}

function failureReason(input: InputObject, target: string, error: unknown): string {
  if (error instanceof BatchFailure) {
    if (!error.lines) return `InternalServerError: ${input.uri}: ${error.message}`;
    const [first, last] = error.lines;
    return `ClientError: ${input.uri}, ${first === last ? `line ${first}` : `lines ${first}-${last}`}: ${error.message}`;
  }
  if (error instanceof PayloadTooLarge) return `ClientError: ${input.uri}${error.line === undefined ? "" : `, line ${error.line}`}: ${error.message}`;
  if (error instanceof AwsError) return `ClientError: ${input.uri}: could not write its output ${target}: ${error.code}: ${error.message}`;
  const code = (error as { code?: string }).code;
  if (code === "Z_DATA_ERROR") return `ClientError: ${input.uri}: CompressionType is Gzip but the object is not gzip data.`;
  if (code === "ENOENT") return `ClientError: ${input.uri}: the object was replaced or deleted while the job read it.`;
  throw error;
}

function transformSettings(job: TransformJobRecord): TransformSettings {
  const path = (expression: string) => (expression.trim() === "$" ? undefined : parseJsonPath(expression));
  const inputFilter = path(job.DataProcessing.InputFilter);
  const outputFilter = path(job.DataProcessing.OutputFilter);
  const accept = job.TransformOutput.Accept ?? "";
  return {
    contentType: job.TransformInput.ContentType || "text/csv",
    accept: accept === "*/*" ? "" : accept,
    splitType: job.TransformInput.SplitType,
    batchStrategy: job.BatchStrategy ?? "MultiRecord",
    assembleWith: job.TransformOutput.AssembleWith,
    ...(inputFilter ? { inputFilter } : {}),
    ...(outputFilter ? { outputFilter } : {}),
    joinInput: job.DataProcessing.JoinSource === "Input",
  };
}

/** The job's Environment is set in every container of the model, over the model's own ("The environment variables to set in the Docker container"). */
function withJobEnvironment(containers: ContainerData[], environment: Record<string, string> | undefined): ContainerData[] {
  if (!environment) return containers;
  return containers.map((data) => ({ ...data, container: { ...data.container, Environment: { ...data.container.Environment, ...environment } } }));
}

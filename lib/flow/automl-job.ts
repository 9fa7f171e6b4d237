import {
  CreateAutoMLJobCommand,
  DescribeAutoMLJobCommand,
  ListCandidatesForAutoMLJobCommand,
  StopAutoMLJobCommand,
  type AutoMLCandidate,
  type DescribeAutoMLJobCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { setTimeout as sleep } from "node:timers/promises";

/** Autopilot's training modes (AutoMLJobConfig.Mode); AUTO, the default, picks ENSEMBLING for data up to 100 MB. */
export const TRAINING_MODES = ["AUTO", "ENSEMBLING", "HYPERPARAMETER_TUNING"] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];

/** MaxCandidates when --max-candidates is not given: the blog's 10 on AWS; 3 on the local AWS, for a run of seconds. */
export const DEFAULT_MAX_CANDIDATES = { local: 3, aws: 10 } as const;

/** Why the local AWS asks for fewer candidates than the blog, said in --help and when a run starts. */
export const LOCAL_CANDIDATES_NOTE =
  `${DEFAULT_MAX_CANDIDATES.local} on the local AWS, so that the job takes seconds on a laptop; ` +
  `${DEFAULT_MAX_CANDIDATES.aws} on AWS, as the blog asks (--max-candidates ${DEFAULT_MAX_CANDIDATES.aws} locally takes about three times as long)`;

export interface JobSpec {
  name: string;
  inputUri: string;
  outputUri: string;
  target: string;
  roleArn: string;
  maxCandidates: number;
  mode: TrainingMode;
}

export async function createJob(sagemaker: SageMakerClient, spec: JobSpec): Promise<string> {
  const { AutoMLJobArn } = await sagemaker.send(
    new CreateAutoMLJobCommand({
      AutoMLJobName: spec.name,
      InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: spec.inputUri } }, TargetAttributeName: spec.target }],
      OutputDataConfig: { S3OutputPath: spec.outputUri },
      AutoMLJobConfig: { CompletionCriteria: { MaxCandidates: spec.maxCandidates }, Mode: spec.mode },
      RoleArn: spec.roleArn,
    }),
  );
  return AutoMLJobArn ?? "";
}

export interface JobProgress {
  status: string;
  secondaryStatus: string;
  elapsedSeconds: number;
  candidates: number;
}

/** Attaches to a job by name: its current description. */
export async function describeJob(sagemaker: SageMakerClient, name: string): Promise<DescribeAutoMLJobCommandOutput> {
  return sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: name }));
}

const isRunning = (status: string | undefined) => status === "InProgress" || status === "Stopping";

/** Polls the job until it ends, reporting status, secondary status, elapsed time and candidates so far on each change. */
export async function waitForJob(
  sagemaker: SageMakerClient,
  name: string,
  onProgress: (progress: JobProgress) => void = () => {},
  pollMs = 5000,
  signal?: AbortSignal,
): Promise<DescribeAutoMLJobCommandOutput> {
  let last = "";
  for (;;) {
    signal?.throwIfAborted();
    const job = await describeJob(sagemaker, name);
    const { Candidates = [] } = await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: name }));
    const progress: JobProgress = {
      status: job.AutoMLJobStatus ?? "?",
      secondaryStatus: job.AutoMLJobSecondaryStatus ?? "?",
      elapsedSeconds: Math.round((Date.now() - (job.CreationTime?.getTime() ?? Date.now())) / 1000),
      candidates: Candidates.length,
    };
    const key = `${progress.status}/${progress.secondaryStatus}/${progress.candidates}`;
    if (key !== last) onProgress(progress);
    last = key;
    if (!isRunning(job.AutoMLJobStatus)) return job;
    await sleep(pollMs, undefined, signal && { signal });
  }
}

export class JobOutcomeError extends Error {}

/** The job's problem type: the one it resolved when the request left it to Autopilot. */
export function problemTypeOf(job: DescribeAutoMLJobCommandOutput): string {
  return job.ResolvedAttributes?.ProblemType ?? job.ProblemType ?? "";
}

/** The best candidate of a completed job, or an error saying why there is none to deploy. */
export function bestCandidateOf(job: DescribeAutoMLJobCommandOutput): AutoMLCandidate {
  const name = job.AutoMLJobName ?? "the job";
  if (job.AutoMLJobStatus === "Failed") throw new JobOutcomeError(`AutoML job ${name} failed: ${job.FailureReason ?? "no reason given"}`);
  if (!job.BestCandidate) {
    throw new JobOutcomeError(`AutoML job ${name} ended ${job.AutoMLJobStatus}/${job.AutoMLJobSecondaryStatus} without a best candidate: nothing to deploy`);
  }
  return job.BestCandidate;
}

/** The candidate to deploy: the one named (from the leaderboard), else the job's best. */
export async function candidateToDeploy(sagemaker: SageMakerClient, job: DescribeAutoMLJobCommandOutput, name?: string): Promise<AutoMLCandidate> {
  if (name === undefined) return bestCandidateOf(job);
  const jobName = job.AutoMLJobName ?? "the job";
  const { Candidates = [] } = await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: jobName, CandidateNameEquals: name }));
  const candidate = Candidates[0];
  if (!candidate) throw new JobOutcomeError(`AutoML job ${jobName} has no candidate named ${name}: pick one from its leaderboard`);
  if (candidate.CandidateStatus !== "Completed" || !candidate.InferenceContainers?.length) {
    throw new JobOutcomeError(`candidate ${name} is ${candidate.CandidateStatus}${candidate.FailureReason ? ` (${candidate.FailureReason})` : ""}: only a Completed candidate can be deployed`);
  }
  return candidate;
}

/** Stops a job still running (cleanup after a crash) and waits for it to end; a finished or unknown job is left as is. */
export async function stopJob(sagemaker: SageMakerClient, name: string, pollMs = 1000): Promise<void> {
  const job = await describeJob(sagemaker, name);
  if (!isRunning(job.AutoMLJobStatus)) return;
  if (job.AutoMLJobStatus === "InProgress") await sagemaker.send(new StopAutoMLJobCommand({ AutoMLJobName: name }));
  await waitForJob(sagemaker, name, () => {}, pollMs);
}

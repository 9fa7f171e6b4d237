import { AwsError } from "../../errors.ts";
import type { Operation } from "../../service.ts";
import { RESOURCE_NAME, requiredString } from "./input.ts";
import { inRegion, sagemakerArn, sagemakerTable, type AutoMLJobRecord, type CandidateRecord } from "./state.ts";

/**
 * The training image a local candidate reports, one repository per algorithm of the engine, as AWS's
 * name theirs (sagemaker-xgboost, linear-learner, autogluon-training): the repository is how a
 * client tells a candidate's algorithm.
 */
export const trainingImage = (region: string, algorithm: string) => `local-aws.dkr.ecr.${region}.amazonaws.com/local-autopilot-${algorithm}:1`;

/** An ended candidate's status as its training job's TrainingJobStatus and SecondaryStatus. */
const TRAINING_STATUS: Record<CandidateRecord["CandidateStatus"], string> = { Completed: "Completed", Failed: "Failed", Stopped: "Stopped", Stopping: "Stopping", InProgress: "InProgress" };

function findCandidateTraining(jobs: readonly AutoMLJobRecord[], region: string, name: string): { job: AutoMLJobRecord; candidate: CandidateRecord } | undefined {
  for (const job of jobs.filter((job) => inRegion(job.AutoMLJobArn, region))) {
    const candidate = job.candidates.find((c) => c.CandidateSteps.some((step) => step.CandidateStepType === "AWS::SageMaker::TrainingJob" && step.CandidateStepName === name && c.CandidateName === name));
    if (candidate) return { job, candidate };
  }
  return undefined;
}

/**
 * DescribeTrainingJob (API reference: API_DescribeTrainingJob.html) for the training job that made
 * each Autopilot candidate, the last AWS::SageMaker::TrainingJob of its CandidateSteps: its
 * algorithm (the training image), hyperparameters (strings, as AWS's) and training time. The local
 * Autopilot trains in one process, so the data-processing training jobs its steps also name have
 * nothing to describe and are not found. A name not found answers as AWS does, with a
 * ValidationException "Requested resource not found." rather than the ResourceNotFound its model
 * lists (https://github.com/aws/aws-sdk/issues/165).
 */
export const describeTrainingJob: Operation = (ctx, input) => {
  const name = requiredString(input, "TrainingJobName", RESOURCE_NAME);
  const arn = sagemakerArn(ctx.region, ctx.principal.accountId, "training-job", name);
  ctx.authorize({ action: "sagemaker:DescribeTrainingJob", resource: arn });
  const found = findCandidateTraining(sagemakerTable(ctx.store).read(ctx.principal.accountId).jobs, ctx.region, name);
  if (!found) throw new AwsError("ValidationException", "Requested resource not found.", 400);
  const { job, candidate } = found;
  const { algorithm, hyperparameters, fitSeconds } = candidate.localDetails;
  const end = new Date(candidate.EndTime);
  const status = TRAINING_STATUS[candidate.CandidateStatus];
  const model = candidate.InferenceContainers.at(job.resolvedMode === "HYPERPARAMETER_TUNING" ? 1 : 0)?.ModelDataUrl;
  return {
    TrainingJobName: name,
    TrainingJobArn: arn,
    AutoMLJobArn: job.AutoMLJobArn,
    ModelArtifacts: model ? { S3ModelArtifacts: model } : {},
    TrainingJobStatus: status,
    SecondaryStatus: status,
    ...(candidate.FailureReason ? { FailureReason: candidate.FailureReason } : {}),
    HyperParameters: Object.fromEntries(Object.entries(hyperparameters).map(([key, value]) => [key, String(value)])),
    AlgorithmSpecification: { TrainingImage: trainingImage(ctx.region, algorithm), TrainingInputMode: "File" },
    RoleArn: job.RoleArn,
    StoppingCondition: { MaxRuntimeInSeconds: job.completionCriteria.MaxRuntimePerTrainingJobInSeconds ?? 86_400 },
    CreationTime: new Date(candidate.CreationTime),
    TrainingStartTime: new Date(end.getTime() - fitSeconds * 1000),
    TrainingEndTime: end,
    LastModifiedTime: new Date(candidate.LastModifiedTime),
    TrainingTimeInSeconds: Math.round(fitSeconds),
    BillableTimeInSeconds: Math.round(fitSeconds),
  };
};

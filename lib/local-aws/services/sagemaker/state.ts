import type { Store, StoreTable } from "../../store/store.ts";
import type { AutoMLMode, TrainingMode } from "./autopilot-modes.ts";
import type { TransformJobRecord } from "./transform-state.ts";

export type JobStatus = "InProgress" | "Completed" | "Failed" | "Stopping" | "Stopped";
export type JobSecondaryStatus =
  | "Starting"
  | "AnalyzingData"
  | "FeatureEngineering"
  | "ModelTuning"
  | "TrainingModels"
  | "GeneratingExplainabilityReport"
  | "GeneratingModelInsightsReport"
  | "MaxCandidatesReached"
  | "MaxAutoMLJobRuntimeReached"
  | "Completed"
  | "Failed"
  | "Stopping"
  | "Stopped";

export interface CandidateRecord {
  CandidateName: string;
  FinalAutoMLJobObjectiveMetric?: { Type: "Maximize" | "Minimize"; MetricName: string; Value: number; StandardMetricName: string };
  ObjectiveStatus: "Succeeded" | "Pending" | "Failed";
  CandidateSteps: { CandidateStepType: string; CandidateStepArn: string; CandidateStepName: string }[];
  CandidateStatus: "Completed" | "InProgress" | "Failed" | "Stopped" | "Stopping";
  InferenceContainers: { Image: string; ModelDataUrl: string; Environment: Record<string, string> }[];
  CreationTime: string;
  EndTime: string;
  LastModifiedTime: string;
  FailureReason?: string;
  CandidateProperties: {
    CandidateArtifactLocations?: { Explainability: string; ModelInsights?: string };
    /** MetricName only for the metrics of AutoMLMetricEnum; StandardMetricName also for LogLoss. */
    CandidateMetrics: { MetricName?: string; Value: number; Set: "Validation"; StandardMetricName: string }[];
  };
  /** Not in the API: the algorithm and hyperparameters, for the leaderboard. */
  localDetails: { algorithm: string; hyperparameters: Record<string, unknown>; fitSeconds: number };
}

/** An AutoML job as SageMaker describes it, plus what the runner needs. */
export interface AutoMLJobRecord {
  AutoMLJobName: string;
  AutoMLJobArn: string;
  /** "v1" for CreateAutoMLJob, "v2" for CreateAutoMLJobV2 (describe answers in the same shape). */
  apiVersion: "v1" | "v2";
  request: Record<string, unknown>;
  inputS3Uri: string;
  targetAttributeName: string;
  outputS3Path: string;
  RoleArn: string;
  problemType?: string;
  objectiveMetric?: string;
  /** The Mode asked for (AUTO when not given), and the one it resolved to once the input's size was known. */
  mode: AutoMLMode;
  resolvedMode?: TrainingMode;
  completionCriteria: { MaxCandidates?: number; MaxRuntimePerTrainingJobInSeconds?: number; MaxAutoMLJobRuntimeInSeconds?: number };
  AutoMLJobStatus: JobStatus;
  AutoMLJobSecondaryStatus: JobSecondaryStatus;
  CreationTime: string;
  LastModifiedTime: string;
  EndTime?: string;
  FailureReason?: string;
  resolved?: { problemType: string; metric: string };
  candidates: CandidateRecord[];
  bestCandidateName?: string;
  artifacts?: { DataExplorationNotebookLocation: string; CandidateDefinitionNotebookLocation?: string };
  tags: { Key: string; Value: string }[];
}

export interface ContainerRecord {
  Image: string;
  ModelDataUrl?: string;
  Environment?: Record<string, string>;
}

export interface ModelRecord {
  ModelName: string;
  ModelArn: string;
  ExecutionRoleArn: string;
  containers: ContainerRecord[];
  /** Whether the model was given as PrimaryContainer or Containers, to describe it back the same way. */
  shape: "PrimaryContainer" | "Containers";
  CreationTime: string;
}

export interface VariantRecord {
  VariantName: string;
  ModelName: string;
  InitialInstanceCount?: number;
  InstanceType?: string;
  InitialVariantWeight?: number;
}

export interface EndpointConfigRecord {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  ProductionVariants: VariantRecord[];
  CreationTime: string;
}

export type EndpointStatus = "Creating" | "Updating" | "InService" | "Failed" | "Deleting";

export interface EndpointRecord {
  EndpointName: string;
  EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: EndpointStatus;
  FailureReason?: string;
  CreationTime: string;
  LastModifiedTime: string;
  /** The variant's model as it was deployed, so later changes to configs do not move a live endpoint. */
  deployed?: { VariantName: string; model: ModelRecord };
}

export interface SageMakerState {
  jobs: AutoMLJobRecord[];
  models: ModelRecord[];
  endpointConfigs: EndpointConfigRecord[];
  endpoints: EndpointRecord[];
  /** See transform-state.ts (absent in states saved before transform jobs existed). */
  transformJobs?: TransformJobRecord[];
}

export const sagemakerTable = (store: Store): StoreTable<SageMakerState> =>
  store.table<SageMakerState>("sagemaker", () => ({ jobs: [], models: [], endpointConfigs: [], endpoints: [] }));

export const sagemakerArn = (region: string, accountId: string, kind: string, name: string) =>
  `arn:aws:sagemaker:${region}:${accountId}:${kind}/${name.toLowerCase()}`;

/**
 * Whether a SageMaker resource, by its ARN, lives in the region. SageMaker's resources are regional:
 * names are unique within an account and region, and a request for one region neither sees nor
 * collides with another's ("Job names must be unique within an AWS account and region", as
 * CreateAutoMLJob answers; ARNs name the region:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html#amazonsagemaker-resources-for-iam-policies).
 * Records keep their region in their ARN only, so state saved before regions were told apart loads as it was.
 */
export const inRegion = (arn: string, region: string) => arn.startsWith(`arn:aws:sagemaker:${region}:`);

/** The region a SageMaker ARN names: where a resumed job or deployment runs. */
export const regionOf = (arn: string) => arn.split(":", 4)[3]!;

/** The account's resources by name in a region. */
export const jobNamed = (state: SageMakerState, region: string, name: string) => state.jobs.find((job) => job.AutoMLJobName === name && inRegion(job.AutoMLJobArn, region));
export const modelNamed = (state: SageMakerState, region: string, name: string) => state.models.find((model) => model.ModelName === name && inRegion(model.ModelArn, region));
export const endpointConfigNamed = (state: SageMakerState, region: string, name: string) =>
  state.endpointConfigs.find((config) => config.EndpointConfigName === name && inRegion(config.EndpointConfigArn, region));
export const endpointNamed = (state: SageMakerState, region: string, name: string) => state.endpoints.find((endpoint) => endpoint.EndpointName === name && inRegion(endpoint.EndpointArn, region));

import type { Store } from "../../store/store.ts";
import { sagemakerTable, type JobStatus, type ModelRecord, type SageMakerState } from "./state.ts";

export type SplitType = "None" | "Line";
export type BatchStrategy = "MultiRecord" | "SingleRecord";
export type AssemblyType = "None" | "Line";

export interface DataProcessing {
  InputFilter: string;
  OutputFilter: string;
  JoinSource: "Input" | "None";
}

/** A transform job as DescribeTransformJob answers it (defaults filled in), plus what its runner needs. */
export interface TransformJobRecord {
  TransformJobName: string;
  /** Names the job's region: jobs are looked up by it, so a name is unique per account and region. */
  TransformJobArn: string;
  ModelName: string;
  TransformJobStatus: JobStatus;
  FailureReason?: string;
  MaxConcurrentTransforms: number;
  MaxPayloadInMB: number;
  BatchStrategy?: BatchStrategy;
  ModelClientConfig?: { InvocationsTimeoutInSeconds?: number; InvocationsMaxRetries?: number };
  Environment?: Record<string, string>;
  TransformInput: {
    DataSource: { S3DataSource: { S3DataType: "S3Prefix" | "ManifestFile"; S3Uri: string } };
    ContentType?: string;
    CompressionType: "None" | "Gzip";
    SplitType: SplitType;
  };
  TransformOutput: { S3OutputPath: string; Accept?: string; AssembleWith: AssemblyType; KmsKeyId?: string };
  TransformResources: { InstanceType: string; InstanceCount: number; VolumeKmsKeyId?: string; TransformAmiVersion?: string };
  DataProcessing: DataProcessing;
  ExperimentConfig?: Record<string, string>;
  CreationTime: string;
  TransformStartTime?: string;
  TransformEndTime?: string;
  LastModifiedTime: string;
  tags: { Key: string; Value: string }[];
  /** The model as it was when the job was created: deleting or replacing it later does not change a job. */
  model: ModelRecord;
}

/** States saved before transform jobs existed have none. */
export const transformJobsIn = (state: SageMakerState): TransformJobRecord[] => (state.transformJobs ??= []);

export function findTransformJob(store: Store, accountId: string, arn: string): TransformJobRecord | undefined {
  return transformJobsIn(sagemakerTable(store).read(accountId)).find((job) => job.TransformJobArn === arn);
}

/** Changes a job's record (when it still exists) and stamps LastModifiedTime. */
export function updateTransformJob(store: Store, accountId: string, arn: string, now: Date, change: (job: TransformJobRecord) => void): void {
  sagemakerTable(store).update(accountId, (state) => {
    const job = transformJobsIn(state).find((candidate) => candidate.TransformJobArn === arn);
    if (!job) return;
    change(job);
    job.LastModifiedTime = now.toISOString();
  });
}

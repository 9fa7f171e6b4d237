import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../local-aws/store/atomic-file.ts";

/** A transform job of the batch step, its model, and the objects it reads and writes. */
export interface TransformRecord {
  transformJob: string;
  model: string;
  /** The test rows it scores, in the customer's bucket (local and copy paths)... */
  inputKeys?: string[];
  /** ...and in the SaaS bucket (copy and direct paths). */
  saasInputKeys?: string[];
  /** Where it writes its output in the customer's bucket. */
  outputPrefix: string;
}

/** What a run created, written as it goes, so that cleanup works after a crash too. */
export interface RunState {
  externalId?: string;
  /** The IAM the run set up, written before it is made: cleanup reports what it made, and only removes the rest if it is there. */
  iam?: { customer?: boolean; leastPrivilege?: boolean; saas?: boolean };
  jobName?: string;
  /** The customer's bucket, and whether this run created it (then cleanup deletes it). */
  customerBucket?: string;
  createdCustomerBucket?: boolean;
  /** Keys this run put in the customer's bucket (training data) and the job's output prefix. */
  customerKeys?: string[];
  outputPrefix?: string;
  /** Where the job reads its training data. */
  inputUri?: string;
  /** The SaaS bucket of the copy and direct paths, with its keys. */
  saasBucket?: string;
  saasKeys?: string[];
  /** A bucket policy in place for the job's duration (direct path). */
  saasBucketPolicy?: boolean;
  model?: string;
  endpointConfig?: string;
  endpoint?: string;
  /** The batch step's transform job. */
  transform?: TransformRecord;
  /** Jobs and hosting of earlier runs of the job and deploy steps (a notebook cell run twice): cleanup removes them too. */
  earlierJobs?: { jobName: string; outputPrefix?: string }[];
  earlierHosting?: { model?: string; endpointConfig?: string; endpoint?: string }[];
  /** Transform jobs of earlier runs of the batch step. */
  earlierTransforms?: TransformRecord[];
}

/** Every job the run recorded: earlier ones (a cell run twice) first, then the current one. */
export function recordedJobs(state: RunState): { jobName: string; outputPrefix?: string }[] {
  return [...(state.earlierJobs ?? []), ...(state.jobName ? [{ jobName: state.jobName, outputPrefix: state.outputPrefix }] : [])];
}

/** Every model, endpoint config and endpoint the run recorded: earlier ones first, then the current ones. */
export function recordedHosting(state: RunState): { model?: string; endpointConfig?: string; endpoint?: string }[] {
  return [...(state.earlierHosting ?? []), state].filter((h) => h.endpoint || h.endpointConfig || h.model);
}

/** Every transform job the run recorded: earlier ones first, then the current one. */
export function recordedTransforms(state: RunState): TransformRecord[] {
  return [...(state.earlierTransforms ?? []), ...(state.transform ? [state.transform] : [])];
}

export class RunStateFile {
  constructor(readonly path: string) {}

  read(): RunState {
    return existsSync(this.path) ? (JSON.parse(readFileSync(this.path, "utf8")) as RunState) : {};
  }

  update(change: Partial<RunState>): RunState {
    const next = { ...this.read(), ...change };
    writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }

  /** Called before a new job replaces the run's job: the old one is kept in `earlierJobs`. */
  retireJob(): RunState {
    const { jobName, outputPrefix, earlierJobs = [] } = this.read();
    if (!jobName) return this.read();
    return this.update({ earlierJobs: [...earlierJobs, { jobName, outputPrefix }], jobName: undefined, outputPrefix: undefined });
  }

  /** Called before new hosting replaces the run's endpoint: the old model, config and endpoint are kept in `earlierHosting`. */
  retireHosting(): RunState {
    const { model, endpointConfig, endpoint, earlierHosting = [] } = this.read();
    if (!model && !endpointConfig && !endpoint) return this.read();
    return this.update({ earlierHosting: [...earlierHosting, { model, endpointConfig, endpoint }], model: undefined, endpointConfig: undefined, endpoint: undefined });
  }

  /** Called before a new transform job replaces the run's: the old one is kept in `earlierTransforms`. */
  retireTransform(): RunState {
    const { transform, earlierTransforms = [] } = this.read();
    if (!transform) return this.read();
    return this.update({ earlierTransforms: [...earlierTransforms, transform], transform: undefined });
  }

  /** Adds keys the current transform job reads, in the customer's bucket (`inputKeys`) or the SaaS bucket (`saasInputKeys`). */
  addTransformKeys(field: "inputKeys" | "saasInputKeys", keys: string[]): RunState {
    const { transform } = this.read();
    if (!transform) throw new Error("no transform job in the run state to record input keys for");
    return this.update({ transform: { ...transform, [field]: [...new Set([...(transform[field] ?? []), ...keys])] } });
  }

  addKeys(field: "customerKeys" | "saasKeys", keys: string[]): RunState {
    const current = this.read()[field] ?? [];
    return this.update({ [field]: [...new Set([...current, ...keys])] });
  }
}

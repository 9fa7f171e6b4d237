import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../local-aws/store/atomic-file.ts";

/** What a run created, written as it goes, so that cleanup works after a crash too. */
export interface RunState {
  externalId?: string;
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
  /** Jobs and hosting of earlier runs of the job and deploy steps (a notebook cell run twice): cleanup removes them too. */
  earlierJobs?: { jobName: string; outputPrefix?: string }[];
  earlierHosting?: { model?: string; endpointConfig?: string; endpoint?: string }[];
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

  addKeys(field: "customerKeys" | "saasKeys", keys: string[]): RunState {
    const current = this.read()[field] ?? [];
    return this.update({ [field]: [...new Set([...current, ...keys])] });
  }
}

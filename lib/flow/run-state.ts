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

  addKeys(field: "customerKeys" | "saasKeys", keys: string[]): RunState {
    const current = this.read()[field] ?? [];
    return this.update({ [field]: [...new Set([...current, ...keys])] });
  }
}

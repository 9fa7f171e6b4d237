import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { roleCredentials, whileIamSettles, type IamSettling } from "./assume-role.ts";
import type { TrainingMode } from "./automl-job.ts";
import { putProfile, readProfileKey } from "./credentials-file.ts";
import { BLOG_NAMES, defaultBucket, roleArn, saasBucket, type FlowNames } from "./names.ts";
import { RunStateFile } from "./run-state.ts";
import { replaceAccessKey } from "./saas-iam.ts";
import type { DataPath } from "./s3-transfer.ts";
import { accountIdOf, clientsFor, profileCredentials, type Clients, type Target } from "./sessions.ts";

export interface FlowSettings {
  target: Target;
  names: FlowNames;
  dataPath: DataPath;
  maxCandidates: number;
  mode: TrainingMode;
  /** The candidate the deploy and batch steps use: its name from the leaderboard, or the job's best when absent. */
  candidate?: string;
  /** SageMaker runs as a separate execution role; the cross-account role gets only what it uses. */
  leastPrivilege: boolean;
  /** Holds the run-state file and the data set's files. */
  workDir: string;
  instanceType: string;
  jobPollMs: number;
  /** How often the batch step asks after its transform job: minutes on AWS, a second or two locally. */
  transformPollMs: number;
  endpointWaitSeconds: number;
  /** The lifetime of each assumed-role session; the provider refreshes them. */
  sessionSeconds: number;
  /** How long the first uses of new IAM keys, policies and roles are retried. */
  iamSettling: IamSettling;
  log: (line: string) => void;
  /** Aborting (Ctrl-C) stops the run between steps and while it waits for the job, the endpoint or the transform job. */
  signal?: AbortSignal;
}

export interface RunChoices {
  dataPath: DataPath;
  maxCandidates: number;
  mode: TrainingMode;
  candidate?: string;
  leastPrivilege: boolean;
  workDir: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** The instance the endpoint and the transform job run on, as the blog's endpoint (billed by the hour on AWS; the local AWS ignores it). */
export const FLOW_INSTANCE_TYPE = "ml.m5.large";

/** The settings of a run on `target`: the blog's names, and waits paced for the local AWS (seconds) or real AWS (minutes to hours). */
export function flowSettings(target: Target, choices: RunChoices): FlowSettings {
  const local = target.kind === "local";
  return {
    ...choices,
    target,
    names: BLOG_NAMES,
    instanceType: FLOW_INSTANCE_TYPE,
    jobPollMs: local ? 1000 : 30_000,
    transformPollMs: local ? 250 : 15_000,
    endpointWaitSeconds: local ? 120 : 1800,
    sessionSeconds: 3600,
    iamSettling: iamSettlingFor(target),
  };
}

/**
 * Real IAM: two minutes in 5-second steps. The local AWS: its configured delay twice over in quarter
 * seconds (at once when it has none).
 */
export function iamSettlingFor(target: Target): IamSettling {
  if (target.kind === "aws") return { attempts: 24, intervalMs: 5000 };
  const delayMs = (target.iamDelaySeconds ?? 0) * 1000;
  return { attempts: 1 + Math.ceil((2 * delayMs) / 250), intervalMs: 250 };
}

export interface Accounts {
  customer: string;
  saas: string;
}

/** One run's settings, its state file and the sessions it opens, made when a step first needs them. */
export class FlowContext {
  readonly state: RunStateFile;
  private accountsCache?: Accounts;
  private roleClientsCache?: Clients;

  constructor(readonly settings: FlowSettings) {
    this.state = new RunStateFile(join(settings.workDir, "run-state.json"));
  }

  get names(): FlowNames {
    return this.settings.names;
  }

  get dataDir(): string {
    return join(this.settings.workDir, "data");
  }

  profileClients(profile: string): Clients {
    return clientsFor(this.settings.target, profileCredentials(this.settings.target, profile));
  }

  customerConfig(): Clients {
    return this.profileClients(this.names.customerProfile);
  }

  saasConfig(): Clients {
    return this.profileClients(this.names.saasProfile);
  }

  /** The SaaS user, through the profile the SaaS IAM step wrote (written again with a fresh key if it went missing). */
  async saasUser(): Promise<Clients> {
    await this.ensureUserProfile();
    return this.profileClients(this.names.userProfile);
  }

  async accounts(): Promise<Accounts> {
    this.accountsCache ??= {
      customer: await accountIdOf(this.customerConfig().sts),
      saas: await accountIdOf(this.saasConfig().sts),
    };
    return this.accountsCache;
  }

  async roleArn(): Promise<string> {
    return roleArn((await this.accounts()).customer, this.names.role);
  }

  /** The role the job and the model run as. */
  async executionRoleArn(): Promise<string> {
    return this.settings.leastPrivilege ? roleArn((await this.accounts()).customer, this.names.executionRole) : this.roleArn();
  }

  async customerBucket(): Promise<string> {
    return defaultBucket(this.settings.target.region, (await this.accounts()).customer);
  }

  async saasBucket(): Promise<string> {
    return saasBucket(this.settings.target.region, (await this.accounts()).saas);
  }

  /** The run's ExternalId: random, kept in the run state so that re-runs and cleanup use the same one. */
  externalId(): string {
    return this.state.read().externalId ?? this.state.update({ externalId: randomBytes(16).toString("hex") }).externalId!;
  }

  /** Runs the run's first use of new IAM, retried (and said) while IAM changes take effect, as `whileIamSettles`. */
  whenIamSettles<T>(what: string, action: () => Promise<T>): Promise<T> {
    return whileIamSettles(what, action, this.settings.iamSettling, this.settings.log);
  }

  /** Gives the SaaS user a fresh access key in the credentials file, and waits until AWS accepts it. */
  async writeUserProfile(): Promise<void> {
    putProfile(this.settings.target.credentialsFile, this.names.userProfile, await replaceAccessKey(this.saasConfig().iam, this.names.user));
    const { sts } = this.profileClients(this.names.userProfile);
    await this.whenIamSettles(`using ${this.names.user}'s new access key`, () => accountIdOf(sts));
  }

  /** Writes the profile again unless it is there (the local AWS rewrites its credentials file on every start). */
  private async ensureUserProfile(): Promise<void> {
    if (!readProfileKey(this.settings.target.credentialsFile, this.names.userProfile)) await this.writeUserProfile();
  }

  /** Clients acting as the customer's role, assumed by the SaaS user with the ExternalId. */
  async asRole(): Promise<Clients> {
    if (!this.roleClientsCache) {
      const externalId = this.state.read().externalId;
      if (!externalId) throw new Error("no ExternalId in the run state: run the customer-iam step first");
      await this.ensureUserProfile();
      const provider = roleCredentials(this.settings.target, profileCredentials(this.settings.target, this.names.userProfile), {
        roleArn: await this.roleArn(),
        externalId,
        durationSeconds: this.settings.sessionSeconds,
        sessionName: "autopilot-saas",
      });
      await this.whenIamSettles("assuming the customer's role", provider);
      this.roleClientsCache = clientsFor(this.settings.target, provider);
    }
    return this.roleClientsCache;
  }
}

import type { AddressInfo } from "node:net";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { projectRoot } from "../project-root.ts";
import { OffsetClock } from "./clock.ts";
import { defaultConfig, type LocalAwsConfig } from "./config.ts";
import { lockStateDir, type StateDirLock } from "./server-file.ts";
import { profileFiles, writeProfileFiles, type ProfileCredentials } from "./profiles.ts";
import { createLocalAwsServer } from "./server.ts";
import { bootstrapAccount } from "./services/iam/queries.ts";
import { ensureSampleBucket } from "./services/s3/sample-bucket.ts";
import { interruptSageMaker, resumeSageMaker } from "./services/sagemaker/index.ts";
import { Store } from "./store/store.ts";

export interface StartOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Where state, credentials and config files live; in memory only when omitted. One server per
   * state dir: starting fails with StateDirInUseError while another live process holds it.
   */
  stateDir?: string;
  /** Forget the state from earlier runs: the server's own files in the state dir, nothing else. */
  reset?: boolean;
  config?: Partial<LocalAwsConfig>;
  /** The file served as s3://sagemaker-sample-files/datasets/tabular/synthetic/churn.txt (data/churn.txt by default). */
  sampleDataFile?: string;
}

export interface LocalAws {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  region: string;
  config: LocalAwsConfig;
  /** Configuration users' keys by profile name (customer_config, saas_config). */
  credentials: Record<string, ProfileCredentials>;
  /** Set when a state dir is used. */
  credentialsFile?: string;
  configFile?: string;
  /** Environment that points the SDK, the AWS CLI and boto3 at this server. */
  env: Record<string, string>;
  /** The server's clock: `clock.advance(ms)` lets tests expire sessions. */
  clock: OffsetClock;
  stop(): Promise<void>;
}

/** Starts the local two-account AWS in this process and bootstraps each account's configuration user. */
export async function startLocalAws(options: StartOptions = {}): Promise<LocalAws> {
  const config = defaultConfig(options.config);
  const stateDir = options.stateDir ? resolve(options.stateDir) : undefined;
  if (stateDir) mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const lock = stateDir ? lockStateDir(stateDir) : undefined;
  try {
    return await serve(config, stateDir, lock, options);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function serve(config: LocalAwsConfig, stateDir: string | undefined, lock: StateDirLock | undefined, options: StartOptions): Promise<LocalAws> {
  const store = new Store(stateDir);
  if (options.reset) {
    store.reset();
    if (stateDir) for (const file of Object.values(profileFiles(stateDir))) rmSync(file, { force: true });
  }

  await ensureSampleBucket(store, options.sampleDataFile ?? join(projectRoot(), "data", "churn.txt"), new Date());
  const credentials: Record<string, ProfileCredentials> = {};
  for (const account of config.accounts) {
    credentials[account.configUser] = bootstrapAccount(store, account.id, account.configUser);
  }

  const clock = new OffsetClock();
  const server = createLocalAwsServer({ config, store, clock });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  resumeSageMaker({ store, accountIds: config.accounts.map((account) => account.id), region: config.region, now: () => clock.now(), ensemblingMaxBytes: config.autopilotEnsemblingMaxBytes });

  const env: Record<string, string> = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: config.region };
  const files = stateDir ? writeProfileFiles(stateDir, credentials, config.region, endpoint) : undefined;
  if (files) {
    env.AWS_SHARED_CREDENTIALS_FILE = files.credentialsFile;
    env.AWS_CONFIG_FILE = files.configFile;
  }
  lock?.announce({ endpoint, region: config.region, iamDelaySeconds: config.iamDelaySeconds });

  return {
    endpoint,
    port,
    region: config.region,
    config,
    credentials,
    ...files,
    env,
    clock,
    stop: async () => {
      await interruptSageMaker(store);
      await new Promise<void>((resolveClose, reject) => {
        server.close((error) => {
          store.close();
          lock?.release();
          if (error) reject(error);
          else resolveClose();
        });
        server.closeAllConnections();
      });
    },
  };
}

export { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "./config.ts";

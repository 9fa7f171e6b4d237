/** An account of the local AWS and the configuration user it is bootstrapped with. */
export interface LocalAccount {
  id: string;
  /** Short name used in messages: "customer", "saas". */
  alias: string;
  /** IAM user (and credentials-file profile) holding IAMFullAccess, as the blog's setup assumes. */
  configUser: string;
}

export interface LocalAwsConfig {
  accounts: LocalAccount[];
  /** Region written to the generated config file, and that of unsigned requests; a signed request is for the region its credential scope names (auth/scope.ts). */
  region: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Autopilot's AUTO mode picks ENSEMBLING up to this input size in bytes and HYPERPARAMETER_TUNING above it (AWS: 100 MB). */
  autopilotEnsemblingMaxBytes: number;
  /**
   * IAM's eventual consistency: an IAM change counts for authentication and authorization only this
   * many seconds after it was made (0: at once). IAM's own API shows it at once, as AWS's does.
   */
  iamDelaySeconds: number;
  /**
   * A connection whose request headers, or body, take longer than this (headers) or idle this long
   * (body) is answered 400 RequestTimeout, as S3 does after about 20 s ("Your socket connection to
   * the server was not read from or written to within the timeout period").
   * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
   */
  requestIdleTimeoutMs: number;
}

export const CUSTOMER_ACCOUNT_ID = "111111111111";
export const SAAS_ACCOUNT_ID = "222222222222";

export function defaultConfig(overrides: Partial<LocalAwsConfig> = {}): LocalAwsConfig {
  const config: LocalAwsConfig = {
    accounts: [
      { id: CUSTOMER_ACCOUNT_ID, alias: "customer", configUser: "customer_config" },
      { id: SAAS_ACCOUNT_ID, alias: "saas", configUser: "saas_config" },
    ],
    region: "us-east-1",
    maxBodyBytes: 16 * 1024 * 1024,
    autopilotEnsemblingMaxBytes: 100 * 1024 * 1024,
    iamDelaySeconds: 0,
    requestIdleTimeoutMs: 20_000,
    ...overrides,
  };
  validateConfig(config);
  return config;
}

function validateConfig(config: LocalAwsConfig): void {
  const ids = new Set<string>();
  for (const account of config.accounts) {
    if (!/^\d{12}$/.test(account.id)) throw new Error(`account id "${account.id}" must be 12 digits`);
    if (ids.has(account.id)) throw new Error(`account id ${account.id} is configured twice`);
    ids.add(account.id);
  }
  if (!Number.isSafeInteger(config.autopilotEnsemblingMaxBytes) || config.autopilotEnsemblingMaxBytes < 0) {
    throw new Error(`autopilotEnsemblingMaxBytes must be a whole number of bytes, not ${config.autopilotEnsemblingMaxBytes}`);
  }
  if (!Number.isFinite(config.iamDelaySeconds) || config.iamDelaySeconds < 0) {
    throw new Error(`iamDelaySeconds must be a number of seconds, 0 or more, not ${config.iamDelaySeconds}`);
  }
  if (!Number.isSafeInteger(config.requestIdleTimeoutMs) || config.requestIdleTimeoutMs <= 0) {
    throw new Error(`requestIdleTimeoutMs must be a whole number of milliseconds over 0, not ${config.requestIdleTimeoutMs}`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) throw new Error(`"${config.region}" is not a region name like us-east-1`);
}

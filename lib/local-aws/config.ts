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
  /** Region written to the generated config file; requests are accepted for any region. */
  region: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Autopilot's AUTO mode picks ENSEMBLING up to this input size in bytes and HYPERPARAMETER_TUNING above it (AWS: 100 MB). */
  autopilotEnsemblingMaxBytes: number;
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
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) throw new Error(`"${config.region}" is not a region name like us-east-1`);
}

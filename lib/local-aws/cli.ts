import { parseArgs } from "node:util";
import { CUSTOMER_ACCOUNT_ID, defaultConfig, SAAS_ACCOUNT_ID, type LocalAccount } from "./config.ts";
import { startLocalAws } from "./index.ts";

const usage = `Usage: npm run local-aws -- [--port 4566] [--host 127.0.0.1] [--state-dir .local-aws] [--reset]
                             [--customer-account 111111111111] [--saas-account 222222222222] [--region us-east-1]
                             [--autopilot-ensembling-max-bytes 104857600] [--iam-delay 0]

Runs the local two-account AWS (IAM, STS, S3, SageMaker) in the foreground until Ctrl-C.
One server per --state-dir: while one serves it, another refuses to start and names it.
--reset forgets earlier state: the server's own files in the state dir, nothing else there.
Autopilot's AUTO mode trains in ENSEMBLING mode on inputs up to --autopilot-ensembling-max-bytes
(AWS: 100 MB) and in HYPERPARAMETER_TUNING mode on larger ones.
--iam-delay SECONDS makes IAM eventually consistent, as AWS's is: a change (new access key, policy,
attachment, group membership, trust policy, and removals too) counts for authentication and
authorization only SECONDS after it was made; IAM's own reads show it at once. Default 0: at once.`;

/** `npm run local-aws -- [options]`: runs the server in the foreground until SIGINT/SIGTERM. */
export async function runLocalAwsCli(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "4566" },
      host: { type: "string", default: "127.0.0.1" },
      "state-dir": { type: "string", default: ".local-aws" },
      reset: { type: "boolean", default: false },
      "customer-account": { type: "string", default: CUSTOMER_ACCOUNT_ID },
      "saas-account": { type: "string", default: SAAS_ACCOUNT_ID },
      region: { type: "string", default: "us-east-1" },
      "autopilot-ensembling-max-bytes": { type: "string", default: String(defaultConfig().autopilotEnsemblingMaxBytes) },
      "iam-delay": { type: "string", default: "0" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not "${values.port}"`);

  const ensemblingMaxBytes = Number(values["autopilot-ensembling-max-bytes"]);
  if (!Number.isSafeInteger(ensemblingMaxBytes) || ensemblingMaxBytes < 0) {
    throw new Error(`--autopilot-ensembling-max-bytes must be a whole number of bytes, not "${values["autopilot-ensembling-max-bytes"]}"`);
  }
  const iamDelaySeconds = Number(values["iam-delay"]);
  if (values["iam-delay"].trim() === "" || !Number.isFinite(iamDelaySeconds) || iamDelaySeconds < 0) {
    throw new Error(`--iam-delay must be a number of seconds, 0 or more (e.g. 5 or 0.5), not "${values["iam-delay"]}"`);
  }
  const [customer, saas] = defaultConfig().accounts as [LocalAccount, LocalAccount];
  const aws = await startLocalAws({
    port,
    host: values.host,
    stateDir: values["state-dir"],
    reset: values.reset,
    config: {
      region: values.region,
      autopilotEnsemblingMaxBytes: ensemblingMaxBytes,
      iamDelaySeconds,
      accounts: [
        { ...customer, id: values["customer-account"] },
        { ...saas, id: values["saas-account"] },
      ],
    },
  });
  const lines = [`local-aws ready at ${aws.endpoint}`];
  for (const account of aws.config.accounts) lines.push(`  account ${account.id} (${account.alias}): profile ${account.configUser}`);
  if (aws.config.iamDelaySeconds > 0) lines.push(`IAM changes take effect for authorization ${aws.config.iamDelaySeconds} s after they are made.`);
  lines.push("Point the SDK, the AWS CLI or boto3 at it with:");
  for (const [name, value] of Object.entries(aws.env)) lines.push(`  export ${name}=${value}`);
  console.log(lines.join("\n"));

  const shutdown = () => {
    aws.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

/** Entry point for scripts: runs the CLI and turns a failure into a message and exit code 1. */
export function runLocalAwsCliOrExit(args: string[]): void {
  runLocalAwsCli(args).catch((error: unknown) => {
    console.error(`local-aws: ${error instanceof Error ? error.message : String(error)}`);
    if (String(error).includes("EADDRINUSE")) console.error("Another process uses that port: pick another with --port, or stop it.");
    process.exit(1);
  });
}

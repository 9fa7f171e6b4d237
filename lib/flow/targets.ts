import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { serverOfStateDir } from "../local-aws/background.ts";
import { startLocalAws } from "../local-aws/index.ts";
import { profileFiles } from "../local-aws/profiles.ts";
import type { ServerFile } from "../local-aws/server-file.ts";
import { endpointOverrides } from "./endpoint-overrides.ts";
import type { Target } from "./sessions.ts";

export interface RunningTarget {
  target: Target;
  /** The local AWS that was already serving the state dir, which the run uses and leaves running. */
  reused?: ServerFile;
  stop(): Promise<void>;
}

/**
 * The local two-account AWS with its state (and credentials file) in `stateDir`: the server already
 * serving it (`npm run local-aws`, the notebooks' background server), left running by `stop()`, or
 * else one started in this process, whose IAM changes take effect `iamDelaySeconds` late, as real
 * IAM's eventual consistency (0: at once).
 */
export async function startLocalTarget(stateDir: string, iamDelaySeconds = 0): Promise<RunningTarget> {
  const running = await serverOfStateDir(stateDir);
  if (running) {
    return {
      target: { kind: "local", region: running.region, endpoint: running.endpoint, ...profileFiles(resolve(stateDir)), iamDelaySeconds: running.iamDelaySeconds },
      reused: running,
      stop: async () => {},
    };
  }
  const aws = await startLocalAws({ stateDir, config: { iamDelaySeconds } });
  if (!aws.credentialsFile || !aws.configFile) throw new Error("the local AWS wrote no credentials file");
  return {
    target: { kind: "local", region: aws.region, endpoint: aws.endpoint, credentialsFile: aws.credentialsFile, configFile: aws.configFile, iamDelaySeconds },
    stop: () => aws.stop(),
  };
}

/** The shared credentials and config files, as the AWS SDK finds them. */
export function sharedFiles(env: NodeJS.ProcessEnv = process.env): { credentialsFile: string; configFile: string } {
  return {
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials"),
    configFile: env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config"),
  };
}

/** A target that cannot be used as asked, with what to do about it (printed without a stack trace). */
export class TargetError extends Error {}

export interface AwsTargetOptions {
  /** An AWS-compatible endpoint (or a test's) every client of the run uses instead of AWS's own. */
  endpoint?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Real AWS through the user's shared credentials and config files (or the files the environment
 * names). Refuses an endpoint override in the environment (the local AWS's instructions export
 * AWS_ENDPOINT_URL), which would send a run meant for AWS elsewhere, unless an endpoint is named.
 */
export function awsTarget(region: string, options: AwsTargetOptions = {}): RunningTarget {
  const env = options.env ?? process.env;
  const overrides = endpointOverrides(env);
  if (!options.endpoint && overrides.length > 0) {
    throw new TargetError(
      `refusing to run against real AWS: the environment sets ${overrides.join(", ")}, which would send the AWS SDK somewhere other than AWS. ` +
        `To run against AWS, unset ${overrides.map((o) => o.slice(0, o.indexOf("="))).join(" ")}; to run against that endpoint on purpose, name it with --endpoint-url URL.`,
    );
  }
  return {
    target: {
      kind: "aws",
      region,
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...sharedFiles(env),
    },
    stop: async () => {},
  };
}

import { homedir } from "node:os";
import { join } from "node:path";
import { startLocalAws } from "../local-aws/index.ts";
import type { Target } from "./sessions.ts";

export interface RunningTarget {
  target: Target;
  stop(): Promise<void>;
}

/** The local two-account AWS, in this process, with its state (and credentials file) in `stateDir`. */
export async function startLocalTarget(stateDir: string): Promise<RunningTarget> {
  const aws = await startLocalAws({ stateDir });
  if (!aws.credentialsFile || !aws.configFile) throw new Error("the local AWS wrote no credentials file");
  return {
    target: { kind: "local", region: aws.region, endpoint: aws.endpoint, credentialsFile: aws.credentialsFile, configFile: aws.configFile },
    stop: () => aws.stop(),
  };
}

/** Real AWS through the user's shared credentials and config files (or the files the environment names). */
export function awsTarget(region: string): RunningTarget {
  return {
    target: {
      kind: "aws",
      region,
      credentialsFile: process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials"),
      configFile: process.env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config"),
    },
    stop: async () => {},
  };
}

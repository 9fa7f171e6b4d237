import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { setTimeout as sleep } from "node:timers/promises";
import { clientConfig, type Credentials, type Target } from "./sessions.ts";

export interface AssumeRoleOptions {
  roleArn: string;
  externalId: string;
  /** Each session's lifetime; the provider refreshes before it ends, so jobs may run longer. */
  durationSeconds: number;
  sessionName: string;
}

/** The role's credentials, refreshed by the SDK before they expire. */
export function roleCredentials(target: Target, masterCredentials: Credentials, options: AssumeRoleOptions): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    masterCredentials,
    params: { RoleArn: options.roleArn, ExternalId: options.externalId, DurationSeconds: options.durationSeconds, RoleSessionName: options.sessionName },
    clientConfig: clientConfig(target),
  });
}

/** What IAM answers while a new access key, role or trust policy is still settling. */
const SETTLING_ERRORS = new Set(["AccessDenied", "InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure", "SignatureDoesNotMatch"]);

/**
 * Runs `action` (the first AssumeRole, the first call with a new key) until it succeeds, retrying
 * the errors of IAM's eventual consistency (seconds on real AWS, none locally) up to `attempts` times.
 */
export async function whileIamSettles(what: string, action: () => Promise<unknown>, attempts = 12, delayMs = 5000): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await action();
      return;
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      if (!SETTLING_ERRORS.has(name) || attempt >= attempts) {
        throw new Error(`${what} failed after ${attempt} attempt(s): ${(error as Error).message}`, { cause: error });
      }
      await sleep(delayMs);
    }
  }
}

export type AssumeRoleOutcome = { allowed: true; assumedRoleArn: string } | { allowed: false; error: string; message: string };

/**
 * One AssumeRole call that reports AWS's answer instead of throwing: shows, for example, that the
 * customer's role refuses a caller that does not present the ExternalId.
 */
export async function tryAssumeRole(sts: STSClient, roleArn: string, externalId: string | undefined): Promise<AssumeRoleOutcome> {
  try {
    const { AssumedRoleUser } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "autopilot-check", ...(externalId ? { ExternalId: externalId } : {}) }));
    return { allowed: true, assumedRoleArn: AssumedRoleUser?.Arn ?? "" };
  } catch (error) {
    return { allowed: false, error: (error as Error).name, message: (error as Error).message };
  }
}

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

/** What IAM answers while a new access key, policy, role or trust policy is still settling. */
const SETTLING_ERRORS = new Set(["AccessDenied", "InvalidClientTokenId", "InvalidAccessKeyId", "AuthFailure", "SignatureDoesNotMatch"]);

/** How long to wait for IAM changes to take effect: how many tries, how far apart. */
export interface IamSettling {
  attempts: number;
  intervalMs: number;
}

/**
 * Runs `action` (the first call that needs a new key, policy or trust policy) until it succeeds,
 * retrying the errors of IAM's eventual consistency: "changes ... take time to become visible",
 * typically seconds (IAM user guide, "Troubleshoot IAM": "Changes that I make are not always
 * immediately visible").
 */
export async function whileIamSettles<T>(what: string, action: () => Promise<T>, settling: IamSettling, log?: (line: string) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      // Anything else is not IAM settling: it goes up as it came.
      if (!SETTLING_ERRORS.has(name)) throw error;
      if (attempt >= settling.attempts) throw new Error(`${what} failed after ${attempt} attempt(s): ${(error as Error).message}`, { cause: error });
      if (attempt === 1) log?.(`  ${what}: ${name}, waiting for IAM changes to take effect`);
      await sleep(settling.intervalMs);
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

/**
 * The ExternalId at work: AssumeRole with it (retried while the new role, trust policy and the
 * caller's policies settle), then without it. Tried in that order, the refusal without it cannot
 * be IAM still settling.
 */
export async function externalIdCheck(sts: STSClient, roleArn: string, externalId: string, settling: IamSettling): Promise<{ withExternalId: AssumeRoleOutcome; withoutExternalId: AssumeRoleOutcome }> {
  let withExternalId: AssumeRoleOutcome = { allowed: false, error: "", message: "" };
  try {
    await whileIamSettles("assuming the customer's role with the ExternalId", async () => {
      withExternalId = await tryAssumeRole(sts, roleArn, externalId);
      if (!withExternalId.allowed) throw Object.assign(new Error(withExternalId.message), { name: withExternalId.error });
    }, settling);
  } catch {
    // Still refused after the settling time: the outcome says how.
  }
  return { withExternalId, withoutExternalId: await tryAssumeRole(sts, roleArn, undefined) };
}

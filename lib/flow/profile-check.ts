import { describeError } from "./aws-errors.ts";
import type { FlowNames } from "./names.ts";
import { accountIdOf, clientsFor, profileCredentials, type Target } from "./sessions.ts";
import { TargetError } from "./targets.ts";

interface ProfileRole {
  profile: string;
  /** Whose configuration user the profile holds, for the message. */
  account: string;
}

/** The profile's account id, or what is wrong with the profile and what to do about it. */
async function checkProfile(target: Target, { profile, account }: ProfileRole): Promise<{ accountId: string } | { problem: string }> {
  const files = `${target.credentialsFile}${target.configFile ? ` or ${target.configFile}` : ""}`;
  const credentials = profileCredentials(target, profile);
  try {
    await credentials();
  } catch (error) {
    return {
      problem:
        `profile ${profile} has no credentials in ${files} (${describeError(error)}). Add a [${profile}] section with aws_access_key_id and ` +
        `aws_secret_access_key of a user in the ${account} account that may manage IAM (the blog gives it IAMFullAccess), ` +
        "or point AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE at the files that have it.",
    };
  }
  try {
    return { accountId: await accountIdOf(clientsFor(target, credentials).sts) };
  } catch (error) {
    return {
      problem:
        `profile ${profile} (in ${files}) does not authenticate at ${target.endpoint ?? "AWS"}: STS GetCallerIdentity answered ${describeError(error)}. ` +
        `Check that its access key is active and its secret right (or replace them), and that the network reaches ${target.endpoint ?? `STS in ${target.region}`}.`,
    };
  }
}

/**
 * Checks, before a run on real AWS creates anything, that both configuration profiles resolve to
 * credentials that authenticate (STS GetCallerIdentity, which needs no permission). Throws a
 * TargetError naming each profile that does not, its files and what to do; answers lines to print.
 */
export async function checkConfigurationProfiles(target: Target, names: FlowNames): Promise<string[]> {
  const roles = [
    { profile: names.customerProfile, account: "customer (trusting)" },
    { profile: names.saasProfile, account: "SaaS (trusted)" },
  ];
  const [customer, saas] = await Promise.all(roles.map((role) => checkProfile(target, role)));
  const problems = [customer!, saas!].flatMap((result) => ("problem" in result ? [result.problem] : []));
  if (problems.length > 0) throw new TargetError(`cannot run on ${target.endpoint ?? "AWS"}: ${problems.join("\n")}`);
  const [customerId, saasId] = [customer!, saas!].map((result) => ("accountId" in result ? result.accountId : ""));
  return [
    `  profiles: ${names.customerProfile} in account ${customerId}, ${names.saasProfile} in account ${saasId}`,
    ...(customerId === saasId ? [`  note: both profiles are in account ${customerId}; the flow runs, but not across two accounts`] : []),
  ];
}

import { listOf } from "./lists.ts";
import type { PrincipalBlock, RequestPrincipal } from "./types.ts";

/**
 * How a Principal element covers the caller:
 * - "direct": it names the caller (user, role of the session, session, service, or "*");
 * - "account": it names only the caller's account (12-digit id or root ARN). In an Allow this delegates
 *   to the account's identity policies rather than granting; in a Deny it covers everyone in the account.
 */
export type PrincipalMatch = "direct" | "account" | "none";

const ACCOUNT_ID = /^\d{12}$/;
const ACCOUNT_ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;
const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;
const SESSION_ARN = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

export function isAccountRoot(principal: RequestPrincipal): boolean {
  return principal.type === "AWS" && ACCOUNT_ROOT_ARN.test(principal.arn);
}

/** Federated and CanonicalUser principals never match: the emulator has no such callers. */
export function matchPrincipal(block: PrincipalBlock, principal: RequestPrincipal): PrincipalMatch {
  if (block === "*") return "direct";
  if (principal.type === "Service") {
    return listOf(block.Service).some((service) => sameIdentifier(service, principal.arn)) ? "direct" : "none";
  }
  let best: PrincipalMatch = "none";
  for (const value of listOf(block.AWS)) {
    const match = awsValueMatch(value, principal);
    if (match === "direct") return match;
    if (match === "account") best = match;
  }
  return best;
}

function awsValueMatch(value: string, principal: RequestPrincipal): PrincipalMatch {
  if (value === "*" || sameIdentifier(value, principal.arn)) return "direct";
  const account = ACCOUNT_ID.test(value) ? value : ACCOUNT_ROOT_ARN.exec(value)?.[1];
  if (account !== undefined) return account === principal.accountId ? "account" : "none";
  return isSessionOfRole(principal, value) ? "direct" : "none";
}

/** A role ARN in a Principal element stands for every session of that role. */
function isSessionOfRole(principal: RequestPrincipal, roleArn: string): boolean {
  if (principal.roleArn !== undefined) return sameIdentifier(principal.roleArn, roleArn);
  // Without roleArn, fall back to the session ARN, which carries the role name but not its path.
  const role = ROLE_ARN.exec(roleArn);
  const session = SESSION_ARN.exec(principal.arn);
  return !!role && !!session && role[1] === session[1] && sameIdentifier(role[2]!, session[2]!);
}

/** IAM names are unique case-insensitively, and IAM resolves a Principal to the entity it names. */
function sameIdentifier(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

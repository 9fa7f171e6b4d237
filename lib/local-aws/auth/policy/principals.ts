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
  const entries = principalEntries(block);
  if (listOf(entries.AWS).includes("*")) return "direct";
  if (principal.type === "Service") return namesService(entries, principal) ? "direct" : "none";
  let best: PrincipalMatch = "none";
  for (const value of listOf(entries.AWS)) {
    const match = awsValueMatch(value, principal);
    if (match === "direct") return match;
    if (match === "account") best = match;
  }
  return best;
}

/**
 * Whether a NotPrincipal element exempts the caller. AWS checks the caller's identities in turn (its
 * account, then its role if it is a session, then the caller itself) and applies the statement to
 * the first one the element does not list, which is why AWS tells you to list them all.
 */
export function exemptedByNotPrincipal(block: PrincipalBlock, principal: RequestPrincipal): boolean {
  const entries = principalEntries(block);
  const values = listOf(entries.AWS);
  if (values.includes("*")) return true;
  if (principal.type === "Service") return namesService(entries, principal);
  const lists = (arn: string) => values.some((value) => sameIdentifier(value, arn));
  const listsId = principal.uniqueId !== undefined && values.includes(principal.uniqueId);
  const listsAccount = values.some((value) => accountOf(value) === principal.accountId);
  const listsRole = principal.roleArn === undefined || lists(principal.roleArn) || listsId;
  const listsCaller = isAccountRoot(principal) || lists(principal.arn) || (principal.roleArn === undefined && listsId);
  return listsAccount && listsRole && listsCaller;
}

type PrincipalEntries = Exclude<PrincipalBlock, "*">;

/** AWS documents "*" and {"AWS": "*"} as equivalent: everyone, service principals included. */
function principalEntries(block: PrincipalBlock): PrincipalEntries {
  return block === "*" ? { AWS: "*" } : block;
}

function namesService(entries: PrincipalEntries, principal: RequestPrincipal): boolean {
  return listOf(entries.Service).some((service) => sameIdentifier(service, principal.arn));
}

function awsValueMatch(value: string, principal: RequestPrincipal): PrincipalMatch {
  if (sameIdentifier(value, principal.arn) || value === principal.uniqueId) return "direct";
  const account = accountOf(value);
  if (account !== undefined) return account === principal.accountId ? "account" : "none";
  return isSessionOfRole(principal, value) ? "direct" : "none";
}

/** The account a Principal value names as a whole (12-digit id or root ARN), if it does. */
function accountOf(value: string): string | undefined {
  return ACCOUNT_ID.test(value) ? value : ACCOUNT_ROOT_ARN.exec(value)?.[1];
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

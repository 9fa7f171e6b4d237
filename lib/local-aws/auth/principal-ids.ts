/**
 * Principals by unique ID, as AWS keeps them in resource-based policies: role trust policies (IAM)
 * and bucket policies (S3). A policy naming an IAM user or role ARN is saved with that principal's
 * unique ID (AIDA... for users, AROA... for roles); the policy is shown with each ID mapped back to
 * its ARN while the principal exists, and with the bare ID once it is deleted; a principal deleted
 * and recreated under the same name gets a new ID and so no longer matches:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 * ("When you save the policy, AWS transforms the ARN to a unique principal ID ... if you delete and
 * recreate a user or role referenced in a trust policy's Principal element, you must edit the role
 * to replace the ARN"; and for users and roles alike, "the principal ID appears in resource-based
 * policies because AWS can no longer map it back to a valid ARN"), and the ID prefixes:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 * A principal ARN naming no user or role of an account this local AWS holds is refused, as IAM and
 * S3 refuse it: `Invalid principal in policy`, each service with its own error code.
 */
import type { PolicyDocument, PolicyStatement, PrincipalBlock } from "./policy/types.ts";
import type { AwsError } from "../errors.ts";
import type { Store } from "../store/store.ts";
import { iamTable } from "../services/iam/model.ts";

const USER_OR_ROLE_ARN = /^arn:aws:iam::(\d{12}):(user|role)(?:\/|\/[\x21-\x7e]*\/)([\w+=,.@-]+)$/;
const PRINCIPAL_ID = /^(?:AIDA|AROA)[A-Z0-9]{17}$/;

interface IdentifiedPrincipal {
  arn: string;
  uniqueId: string;
}

/**
 * The policy as AWS saves it: every user or role ARN of a local account in Principal (or
 * NotPrincipal) replaced by that principal's unique ID. `invalidPrincipal` is the service's error
 * for an ARN naming no such principal.
 */
export function withPrincipalIds(store: Store, document: PolicyDocument, invalidPrincipal: (arn: string) => AwsError): PolicyDocument {
  return mapAwsPrincipals(document, (value) => {
    const parsed = USER_OR_ROLE_ARN.exec(value);
    if (!parsed || !iamTable(store).accounts().includes(parsed[1]!)) return value;
    const found = principals(store, parsed[1]!).find((principal) => principal.arn.toLowerCase() === value.toLowerCase());
    if (!found) throw invalidPrincipal(value);
    return found.uniqueId;
  });
}

/**
 * The policy as AWS shows it (GetRole, GetBucketPolicy): as submitted while every principal it
 * names exists, else the saved policy with the unique IDs of those deleted.
 */
export function displayedPolicy(store: Store, saved: PolicyDocument, submitted: string): string {
  const ids = new Map(iamTable(store).accounts().flatMap((accountId) => principals(store, accountId).map((principal) => [principal.uniqueId, principal.arn] as const)));
  let orphaned = false;
  const shown = mapAwsPrincipals(saved, (value) => {
    if (!PRINCIPAL_ID.test(value)) return value;
    const arn = ids.get(value);
    if (arn === undefined) orphaned = true;
    return arn ?? value;
  });
  return orphaned ? JSON.stringify(shown) : submitted;
}

/** The account's users and roles as IAM's API sees them now (not as authorization does while changes propagate). */
function principals(store: Store, accountId: string): IdentifiedPrincipal[] {
  const state = iamTable(store).read(accountId);
  return [
    ...state.users.map((user) => ({ arn: user.arn, uniqueId: user.userId })),
    ...state.roles.map((role) => ({ arn: role.arn, uniqueId: role.roleId })),
  ];
}

function mapAwsPrincipals(document: PolicyDocument, map: (value: string) => string): PolicyDocument {
  const statements = Array.isArray(document.Statement) ? document.Statement.map((statement) => mapStatement(statement, map)) : mapStatement(document.Statement, map);
  return { ...document, Statement: statements };
}

function mapStatement(statement: PolicyStatement, map: (value: string) => string): PolicyStatement {
  const mapped = { ...statement };
  if (statement.Principal !== undefined) mapped.Principal = mapBlock(statement.Principal, map);
  if (statement.NotPrincipal !== undefined) mapped.NotPrincipal = mapBlock(statement.NotPrincipal, map);
  return mapped;
}

function mapBlock(block: PrincipalBlock, map: (value: string) => string): PrincipalBlock {
  if (block === "*" || block.AWS === undefined) return block;
  return { ...block, AWS: Array.isArray(block.AWS) ? block.AWS.map(map) : map(block.AWS) };
}

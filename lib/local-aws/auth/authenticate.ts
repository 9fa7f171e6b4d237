import { AwsError } from "../errors.ts";
import type { Principal } from "../principal.ts";
import type { RawRequest } from "../protocols/types.ts";
import type { Store } from "../store/store.ts";
import { findAccessKey } from "../services/iam/queries.ts";
import { findSession } from "./sessions.ts";
import type { SignatureClaim } from "./claim.ts";
import { checkSigningTime, verifySignature } from "./sigv4.ts";

export interface Authenticated {
  principal: Principal;
  /** Needed to verify aws-chunked chunk signatures of a streamed body; never leaves the server. */
  secretAccessKey: string;
}

const invalidToken = () => new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);

/**
 * Verifies who signed the request: a known, active key, an unexpired session, a matching signature.
 * A streamed body is not here yet: its hash or chunk signatures are checked as it is read.
 */
export async function authenticate(request: RawRequest, claim: SignatureClaim, store: Store, accountIds: readonly string[], now: Date, bodyStreamed: boolean): Promise<Authenticated> {
  const { principal, secretAccessKey } = resolveKey(store, accountIds, claim, now);
  checkSigningTime(claim, now);
  await verifySignature(request, claim, secretAccessKey, bodyStreamed);
  return { principal, secretAccessKey };
}

function resolveKey(store: Store, accountIds: readonly string[], claim: SignatureClaim, now: Date): { principal: Principal; secretAccessKey: string } {
  if (claim.accessKeyId.startsWith("ASIA")) {
    const session = findSession(store, accountIds, claim.accessKeyId);
    if (!session || claim.sessionToken !== session.sessionToken) throw invalidToken();
    if (Date.parse(session.expiresAt) <= now.getTime()) {
      throw new AwsError("ExpiredToken", "The security token included in the request is expired", 403);
    }
    return {
      secretAccessKey: session.secretAccessKey,
      principal: {
        kind: "assumed-role",
        accountId: session.accountId,
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        userId: `${session.roleId}:${session.sessionName}`,
        accessKeyId: session.accessKeyId,
        roleName: session.roleName,
        roleArn: session.roleArn,
        roleId: session.roleId,
        sessionName: session.sessionName,
        issuedAt: session.issuedAt,
        expiresAt: session.expiresAt,
        roleChained: session.roleChained,
        ...(session.sessionPolicy ? { sessionPolicy: session.sessionPolicy } : {}),
        sessionToken: session.sessionToken,
      },
    };
  }
  const key = findAccessKey(store, accountIds, claim.accessKeyId, now);
  if (!key || key.status !== "Active" || claim.sessionToken !== undefined) throw invalidToken();
  return {
    secretAccessKey: key.secretAccessKey,
    principal: {
      kind: "user",
      accountId: key.accountId,
      arn: key.userArn,
      userId: key.userId,
      userName: key.userName,
      accessKeyId: claim.accessKeyId,
    },
  };
}
